// Turns news (an incident update, maintenance, a post-mortem) into outbox rows; admin services call these inside their transaction.
import type { Incident, IncidentUpdate, Maintenance, Postmortem } from '../../status/types.ts';
import { componentChanges } from '../channels/component-changes.ts';
import type { Db } from '../db/connection.ts';
import { env } from '../env.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { internalComponentIds, isInternalIncident, isInternalMaintenance, publicModel as publicModelOf, scrubIncident, scrubUpdate } from '../status-data/public-model.ts';
import { incidentEmailData, maintenanceEmailData, postmortemEmailData, trimBase, type IncidentForEmail, type SiteForEmail } from './compose.ts';
import { enqueueNotification, notifiedKeys } from './outbox.ts';
import { affectedComponentIds, dueContentNotifications, incidentUpdateNotifies, notificationKey, type DueNotification } from './recipients.ts';

/** Site, components and public base URL (SITE_URL, else site.yaml's url) for composing emails. */
export function emailContext(model: Pick<StatusModel, 'site' | 'components'>, siteUrl: string | undefined = env().SITE_URL): SiteForEmail {
  return { site: model.site, components: model.components, baseUrl: trimBase(siteUrl ?? model.site.url) };
}

/** The context for news to subscribers and public channels: only public components, and the internal ids to leave out. */
export function publicEmailContext(model: Pick<StatusModel, 'site' | 'components' | 'groups'>, siteUrl: string | undefined = env().SITE_URL): SiteForEmail {
  const internal = internalComponentIds(model);
  return { ...emailContext({ site: model.site, components: model.components.filter((c) => !internal.has(c.id)) }, siteUrl), internal };
}

/** Team-only news never goes to the public; public news loses its team-only components (public-model.ts's rules). */
function forPublic(ctx: SiteForEmail, due: DueNotification): DueNotification | null {
  const internal = ctx.internal;
  if (!internal) return due;
  if (due.kind === 'maintenance') {
    if (isInternalMaintenance(due.maintenance, internal)) return null;
    return { ...due, maintenance: { ...due.maintenance, components: due.maintenance.components.filter((id) => !internal.has(id)) } };
  }
  if (isInternalIncident(due.incident, internal)) return null;
  const incident = scrubIncident(due.incident, internal);
  if (due.kind === 'postmortem') return { ...due, incident };
  return { ...due, incident, update: scrubUpdate(due.update, internal), carried: due.carried.map((u) => scrubUpdate(u, internal)) };
}

/** Enqueues one due notification (idempotent through the ledger); the number of recipients, or null if already notified. */
export async function enqueueDue(db: Db, ctx: SiteForEmail, given: DueNotification, now: number): Promise<number | null> {
  const due = forPublic(ctx, given);
  // Team-only: nobody outside the team is told (and nothing is recorded, so it is sent if it is made public later).
  if (!due) return 0;
  if (due.kind === 'incident') {
    const data = incidentEmailData(ctx, due.incident, due.update, { now, carried: due.carried });
    const first = [...due.carried].sort((a, b) => a.at - b.at)[0] ?? due.update;
    const changes = componentChanges(due.incident, first, due.update, new Map(ctx.components.map((c) => [c.id, c.name])));
    return enqueueNotification(db, { key: due.key, data, componentIds: affectedComponentIds(due.incident), componentChanges: changes }, now, due.covers);
  }
  if (due.kind === 'maintenance') {
    return enqueueNotification(db, { key: due.key, data: maintenanceEmailData(ctx, due.maintenance, due.phase), componentIds: due.maintenance.components }, now, due.covers);
  }
  return enqueueNotification(db, { key: due.key, data: postmortemEmailData(ctx, due.incident, due.postmortem), componentIds: affectedComponentIds(due.incident) }, now, due.covers);
}

/** Whether a post emailed subscribers: how many, or why nobody. */
export type NotifyOutcome = { emailed: number } | { skipped: 'not_requested' | 'already_sent' };

/** An admin posted an incident update (or opened the incident): emails it when the rules say so. */
export async function enqueueIncidentUpdate(trx: Db, model: StatusModel, incident: IncidentForEmail, update: IncidentUpdate, now: number): Promise<NotifyOutcome> {
  if (!incidentUpdateNotifies(incident.severity, update)) return { skipped: 'not_requested' };
  const withUpdate = { ...incident, updates: [update, ...incident.updates.filter((u) => u.id !== update.id)] } as Incident;
  const key = notificationKey.incidentUpdate(incident.id, update.id);
  const n = await enqueueDue(trx, publicEmailContext(model), { kind: 'incident', key, covers: [key], incident: withUpdate, update, carried: [update] }, now);
  return n === null ? { skipped: 'already_sent' } : { emailed: n };
}

/** An admin scheduled maintenance: emailed when the window is still ahead (a window already open is announced when the worker sees it start). */
export async function enqueueMaintenanceScheduled(trx: Db, model: StatusModel, m: Omit<Maintenance, 'source' | 'updates'> & { message: string }, now: number): Promise<void> {
  if (m.scheduledStart <= now) return;
  const updates = m.message.trim() === '' ? [] : [{ id: `${m.id}-scheduled`, at: now, status: 'scheduled' as const, message: m.message.trim() }];
  await enqueueMaintenance(trx, model, { ...m, source: 'admin', updates }, 'scheduled', now);
}

/** An admin posted a maintenance update: "in progress" announces the start (once, whoever sees it first). */
export async function enqueueMaintenanceUpdate(trx: Db, model: StatusModel, m: Maintenance, update: Omit<Maintenance['updates'][number], 'id'>, now: number): Promise<void> {
  if (update.status !== 'in_progress') return;
  await enqueueMaintenance(trx, model, { ...m, updates: [{ id: `${m.id}-started`, ...update }, ...m.updates] }, 'started', now);
}

/** Maintenance news of either phase, once per maintenance and phase. */
export async function enqueueMaintenance(trx: Db, model: StatusModel, maintenance: Maintenance, phase: 'scheduled' | 'started', now: number): Promise<void> {
  const key = notificationKey.maintenance(maintenance.id, phase);
  const covers = phase === 'started' ? [key, notificationKey.maintenance(maintenance.id, 'scheduled')] : [key];
  await enqueueDue(trx, publicEmailContext(model), { kind: 'maintenance', key, covers, maintenance, phase }, now);
}

/** An admin published a post-mortem: emailed once, however often it is unpublished and published again. */
export async function enqueuePostmortem(trx: Db, model: StatusModel, postmortem: Pick<Postmortem, 'id' | 'incidentId' | 'title' | 'body'>, now: number): Promise<void> {
  const incident = model.incidentById.get(postmortem.incidentId);
  if (!incident) return;
  const key = notificationKey.postmortem(postmortem.id);
  const full: Postmortem = { source: 'admin', publishedAt: now, ...postmortem };
  await enqueueDue(trx, publicEmailContext(model), { kind: 'postmortem', key, covers: [key], postmortem: full, incident }, now);
}

/** Enqueues whatever the content files and the clock call for (markdown incidents, maintenance starting); each in its own transaction. */
export async function notifyFromContent(db: Db, model: StatusModel, siteUrl: string | undefined, now: number): Promise<number> {
  // Only what the public may see is ever due.
  const due = dueContentNotifications(publicModelOf(model), await notifiedKeys(db), now);
  const ctx = publicEmailContext(model, siteUrl);
  let enqueued = 0;
  for (const d of due) {
    const n = await db.transaction().execute((trx) => enqueueDue(trx, ctx, d, now));
    if (n !== null) enqueued++;
  }
  return enqueued;
}
