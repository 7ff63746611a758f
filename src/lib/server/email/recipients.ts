// Who gets what: the notification rules, pure and clock-injected (the outbox applies them to subscribers).
import { maintenanceStatus } from '../../status/maintenance.ts';
import type { Incident, IncidentUpdate, Maintenance, Postmortem } from '../../status/types.ts';
import type { Severity } from '../../status/vocabulary.ts';

/** Markdown updates older than this never send mail, so deploying an archive is silent. */
export const CONTENT_NOTIFY_WINDOW_MS = 24 * 3_600_000;

/** Ledger keys: one per thing notified, so each is notified at most once. */
export const notificationKey = {
  incidentUpdate: (incidentId: string, updateId: string): string => `incident:${incidentId}:${updateId}`,
  maintenance: (id: string, phase: 'scheduled' | 'started'): string => `maintenance:${id}:${phase}`,
  postmortem: (id: string): string => `postmortem:${id}:published`,
};

/**
 * Whether an incident update emails subscribers: the admin's "notify subscribers" choice when there is one
 * ("auto" already resolved to yes for P0/P1); markdown updates carry none, so P0/P1 yes and P2/P3 no.
 */
export function incidentUpdateNotifies(severity: Severity, update: Pick<IncidentUpdate, 'notify'>): boolean {
  return update.notify ?? (severity === 'P0' || severity === 'P1');
}

/** Every component the incident touched, at any update. */
export function affectedComponentIds(incident: Pick<Incident, 'components' | 'updates'>): string[] {
  const ids = new Set(Object.keys(incident.components));
  for (const u of incident.updates) for (const id of Object.keys(u.components ?? {})) ids.add(id);
  return [...ids];
}

/** A subscriber of every component (null) or of at least one affected component. */
export function subscriberWants(chosen: readonly string[] | null, affected: readonly string[]): boolean {
  return chosen === null || chosen.some((id) => affected.includes(id));
}

export type DueNotification =
  /** `update` is the newest of `carried`, the updates the one email lists (oldest first). */
  | { kind: 'incident'; key: string; covers: string[]; incident: Incident; update: IncidentUpdate; carried: IncidentUpdate[] }
  | { kind: 'maintenance'; key: string; covers: string[]; maintenance: Maintenance; phase: 'scheduled' | 'started' }
  | { kind: 'postmortem'; key: string; covers: string[]; postmortem: Postmortem; incident: Incident };

export interface NotifiableModel {
  incidents: readonly Incident[];
  incidentById: ReadonlyMap<string, Incident>;
  maintenance: readonly Maintenance[];
  postmortems: readonly Postmortem[];
}

const recent = (at: number, now: number): boolean => at <= now && at > now - CONTENT_NOTIFY_WINDOW_MS;

/**
 * What the content files (and the clock) call for that has not been notified yet:
 * - a markdown incident's notifiable updates less than 24 h old and not notified yet: one email lists them all, oldest
 *   first, under the newest one's key (each one's key is recorded with it, so none is sent twice or dropped);
 * - markdown maintenance when it is scheduled; any maintenance when it starts (less than 24 h ago);
 * - a markdown post-mortem published less than 24 h ago.
 * Admin-written incidents, schedules and post-mortems are enqueued when they are written, not here.
 */
export function dueContentNotifications(model: NotifiableModel, notified: ReadonlySet<string>, now: number): DueNotification[] {
  const due: DueNotification[] = [];
  for (const incident of model.incidents) {
    if (incident.source !== 'file') continue;
    const fresh = incident.updates.filter((u) =>
      recent(u.at, now) && !notified.has(notificationKey.incidentUpdate(incident.id, u.id)) && incidentUpdateNotifies(incident.severity, u));
    if (fresh.length === 0) continue;
    const carried = [...fresh].sort((a, b) => a.at - b.at);
    const newest = carried.at(-1)!;
    due.push({
      kind: 'incident', incident, update: newest, carried,
      key: notificationKey.incidentUpdate(incident.id, newest.id),
      covers: fresh.map((u) => notificationKey.incidentUpdate(incident.id, u.id)),
    });
  }
  for (const m of model.maintenance) {
    const status = maintenanceStatus(m, now);
    const scheduledKey = notificationKey.maintenance(m.id, 'scheduled');
    if (m.source === 'file' && status === 'scheduled' && m.scheduledStart > now && !notified.has(scheduledKey)) {
      due.push({ kind: 'maintenance', maintenance: m, phase: 'scheduled', key: scheduledKey, covers: [scheduledKey] });
    }
    const startedKey = notificationKey.maintenance(m.id, 'started');
    const startedUpdate = [...m.updates].reverse().find((u) => u.status === 'in_progress' && u.at <= now);
    const startedAt = Math.min(startedUpdate?.at ?? m.scheduledStart, m.scheduledStart);
    if ((status === 'in_progress' || status === 'verifying') && startedAt > now - CONTENT_NOTIFY_WINDOW_MS && !notified.has(startedKey)) {
      due.push({ kind: 'maintenance', maintenance: m, phase: 'started', key: startedKey, covers: [startedKey, scheduledKey] });
    }
  }
  for (const p of model.postmortems) {
    const incident = model.incidentById.get(p.incidentId);
    const key = notificationKey.postmortem(p.id);
    if (p.source === 'file' && incident && p.publishedAt !== null && recent(p.publishedAt, now) && !notified.has(key)) {
      due.push({ kind: 'postmortem', postmortem: p, incident, key, covers: [key] });
    }
  }
  return due;
}
