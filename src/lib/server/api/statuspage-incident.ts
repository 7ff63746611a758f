// Incidents and scheduled maintenance in Statuspage v2's shape (field names, enums, nesting, newest update first).
import { formatIsoWithOffset } from '../../status/iso-offset.ts';
import { firstUpdate, incidentImpact, incidentStatus, resolvedAt, startedAt } from '../../status/incident.ts';
import { maintenanceStatus } from '../../status/maintenance.ts';
import type { ComponentStatusMap, Incident, Maintenance } from '../../status/types.ts';
import type { ComponentStatus, Impact, IncidentStatus, MaintenanceStatus } from '../../status/vocabulary.ts';
import { incidentUpdateNotifies } from '../email/recipients.ts';
import { absoluteUrl, type ApiContext } from './api-context.ts';
import { incidentComponentIds, type PageTimes } from './page-times.ts';
import type { SpComponent } from './statuspage.ts';

/** A component status change carried by an update. */
export interface SpAffectedComponent {
  code: string;
  name: string;
  old_status: ComponentStatus;
  new_status: ComponentStatus;
}

/** One posted update (incidents and maintenance share this shape). */
export interface SpIncidentUpdate {
  id: string;
  status: IncidentStatus | MaintenanceStatus;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: SpAffectedComponent[] | null;
  /** Whether subscribers were notified of this update. */
  deliver_notifications: boolean;
  /** Statuspage's Twitter fields: never used here, always null. */
  custom_tweet: string | null;
  tweet_id: string | null;
}

/** An incident as Statuspage v2 writes it. */
export interface SpIncident {
  id: string;
  name: string;
  /** `postmortem` once the incident's post-mortem is published. */
  status: IncidentStatus | 'postmortem';
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  impact: Impact;
  shortlink: string;
  started_at: string;
  page_id: string;
  incident_updates: SpIncidentUpdate[];
  components: SpComponent[];
  /** Statuspage's reminder schedule ("[3, 6, 12, 24]" hours); this page sets none. */
  reminder_intervals: string | null;
}

/** A maintenance window: an incident's fields plus the schedule. */
export interface SpScheduledMaintenance extends Omit<SpIncident, 'status' | 'impact'> {
  status: MaintenanceStatus;
  impact: 'maintenance';
  scheduled_for: string;
  scheduled_until: string;
}

/** Everything the mappers need besides the object itself. */
export interface MapContext {
  ctx: ApiContext;
  times: PageTimes;
  /** Component JSON by id (leaves and groups), as it reads right now. */
  componentJson: Map<string, SpComponent>;
}

const iso = (m: MapContext, at: number): string => formatIsoWithOffset(at, m.ctx.model.site.timezone);

/** The status changes between two maps, ordered by display position; null when nothing changed. */
function diff(m: MapContext, before: ComponentStatusMap | Record<string, ComponentStatus>, after: Record<string, ComponentStatus>): SpAffectedComponent[] | null {
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const position = (id: string): number => modelPosition(m, id);
  const out = ids
    .filter((id) => (before[id] ?? 'operational') !== (after[id] ?? 'operational'))
    .sort((a, b) => position(a) - position(b))
    .map((id) => ({
      code: id,
      name: displayName(m, id),
      old_status: before[id] ?? 'operational',
      new_status: after[id] ?? 'operational',
    }));
  return out.length > 0 ? out : null;
}

/** "Group - Component" for a grouped component, as Statuspage names affected components; the name alone otherwise. */
function displayName(m: MapContext, id: string): string {
  const c = m.ctx.model.componentById.get(id);
  if (!c) return id;
  const group = c.groupId === null ? undefined : m.ctx.model.groups.find((g) => g.id === c.groupId);
  return group ? `${group.name} - ${c.name}` : c.name;
}

/** The order components.yaml gives (positions in the JSON count per group, so they cannot order a mixed list). */
function modelPosition(m: MapContext, id: string): number {
  return m.ctx.model.componentById.get(id)?.position ?? m.ctx.model.groups.find((g) => g.id === id)?.position ?? Number.MAX_SAFE_INTEGER;
}

/** Per update, the component statuses this incident changed (what it imposes, relative to operational). */
function incidentAffected(m: MapContext, incident: Incident): Map<string, SpAffectedComponent[] | null> {
  const out = new Map<string, SpAffectedComponent[] | null>();
  let current: ComponentStatusMap = {};
  let latest = incident.components;
  for (const u of [...incident.updates].reverse()) {
    if (u.components) latest = u.components;
    const next = incident.falsePositive || u.status === 'resolved' ? {} : latest;
    out.set(u.id, diff(m, current, next));
    current = next;
  }
  return out;
}

function componentsOf(m: MapContext, ids: readonly string[]): SpComponent[] {
  return ids
    .map((id) => m.componentJson.get(id))
    .filter((c): c is SpComponent => c !== undefined)
    .sort((a, b) => modelPosition(m, a.id) - modelPosition(m, b.id));
}

/** Statuspage moves a resolved incident to status postmortem once its post-mortem is published. */
function hasPublishedPostmortem(m: MapContext, incidentId: string): boolean {
  const pm = m.ctx.model.publishedPostmortemByIncident.get(incidentId);
  return pm !== undefined && pm.publishedAt !== null && pm.publishedAt <= m.ctx.now;
}

/** One incident as Statuspage writes it; created_at is its first update, monitoring_at its first monitoring update. */
export function spIncident(m: MapContext, incident: Incident): SpIncident {
  const affected = incidentAffected(m, incident);
  const first = firstUpdate(incident)?.at ?? m.times.created;
  const latest = incident.updates[0]?.at ?? first;
  const monitoring = [...incident.updates].reverse().find((u) => u.status === 'monitoring');
  const resolved = resolvedAt(incident);
  return {
    id: incident.id,
    name: incident.title,
    status: hasPublishedPostmortem(m, incident.id) ? 'postmortem' : incidentStatus(incident),
    created_at: iso(m, first),
    updated_at: iso(m, latest),
    monitoring_at: monitoring ? iso(m, monitoring.at) : null,
    resolved_at: resolved === null ? null : iso(m, resolved),
    impact: incidentImpact(incident),
    shortlink: absoluteUrl(m.ctx, `/incidents/${encodeURIComponent(incident.id)}`),
    started_at: iso(m, startedAt(incident) ?? first),
    page_id: m.ctx.pageId,
    incident_updates: incident.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.message,
      incident_id: incident.id,
      created_at: iso(m, u.at),
      updated_at: iso(m, u.at),
      display_at: iso(m, u.at),
      affected_components: affected.get(u.id) ?? null,
      deliver_notifications: incidentUpdateNotifies(incident.severity, u),
      custom_tweet: null,
      tweet_id: null,
    })),
    components: componentsOf(m, incidentComponentIds(incident)),
    reminder_intervals: null,
  };
}

/**
 * When a maintenance counts as created: when it was announced (`announced:`, an admin's creation time, else when
 * its file was first seen) or its first update if that came earlier; never its future start.
 */
export function maintenanceCreatedAt(mt: Maintenance): number {
  const first = mt.updates[mt.updates.length - 1];
  const candidates = [mt.announcedAt ?? null, first?.at ?? null].filter((t): t is number => t !== null);
  return candidates.length > 0 ? Math.min(...candidates) : mt.scheduledStart;
}

/**
 * One maintenance window as Statuspage writes it. Only updates already posted (≤ now) are listed; the
 * window's description, when it has one, is its oldest update (status scheduled, dated created_at).
 */
export function spMaintenance(m: MapContext, mt: Maintenance): SpScheduledMaintenance {
  const now = m.ctx.now;
  const status = maintenanceStatus(mt, now);
  const created = maintenanceCreatedAt(mt);
  const posted = mt.updates.filter((u) => u.at <= now);
  const updates: { id: string; at: number; status: MaintenanceStatus; message: string }[] = [...posted];
  if (mt.body.trim()) updates.push({ id: `${mt.id}-details`, at: created, status: 'scheduled', message: mt.body.trim() });
  const affected = new Map<string, SpAffectedComponent[] | null>();
  let active = false;
  for (const u of [...updates].reverse()) {
    const next = u.status === 'in_progress' || u.status === 'verifying';
    const map = (on: boolean): Record<string, ComponentStatus> =>
      Object.fromEntries(mt.components.map((id) => [id, on ? 'under_maintenance' : 'operational']));
    affected.set(u.id, next === active ? null : diff(m, map(active), map(next)));
    active = next;
  }
  const completed = [...posted].reverse().find((u) => u.status === 'completed')?.at ?? (status === 'completed' ? mt.scheduledEnd : null);
  const edges = [mt.scheduledStart, mt.scheduledEnd].filter((t) => t <= now);
  const latest = Math.max(created, ...posted.map((u) => u.at), ...edges);
  return {
    id: mt.id,
    name: mt.title,
    status,
    created_at: iso(m, created),
    updated_at: iso(m, latest),
    monitoring_at: null,
    resolved_at: completed === null ? null : iso(m, completed),
    impact: 'maintenance',
    shortlink: absoluteUrl(m.ctx, `/maintenance/${encodeURIComponent(mt.id)}`),
    started_at: iso(m, created),
    page_id: m.ctx.pageId,
    incident_updates: updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.message,
      incident_id: mt.id,
      created_at: iso(m, u.at),
      updated_at: iso(m, u.at),
      display_at: iso(m, u.at),
      affected_components: affected.get(u.id) ?? null,
      deliver_notifications: false,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: componentsOf(m, mt.components),
    reminder_intervals: null,
    scheduled_for: iso(m, mt.scheduledStart),
    scheduled_until: iso(m, mt.scheduledEnd),
  };
}
