// Reads what the admin form wrote into the database and turns rows into domain objects.
import { sortUpdatesNewestFirst } from '../../status/incident.ts';
import type { ComponentStatusMap, Incident, Maintenance, Postmortem } from '../../status/types.ts';
import type { ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Severity } from '../../status/vocabulary.ts';
import type { Db } from '../db/connection.ts';
import { loadFirstSeen } from '../maintenance/first-seen.ts';

export interface AdminRecords {
  incidents: Incident[];
  maintenance: Maintenance[];
  postmortems: Postmortem[];
  /** Component statuses set by hand, replacing the baseline. */
  overrides: Map<string, ComponentStatus>;
  /** Components marked team-only in admin (absent: none). */
  internalComponents?: Set<string>;
  /** When maintenance files without `announced:` were first seen, by id (absent: none stored yet). */
  maintenanceFirstSeen?: Map<string, number>;
}

const time = (s: string | null): number | null => (s === null ? null : Date.parse(s));

/** Loads every admin-written record; the caller caches the result until the next write. */
export async function loadAdminRecords(db: Db): Promise<AdminRecords> {
  const [incidentRows, updateRows, maintenanceRows, maintenanceUpdateRows, postmortemRows, overrideRows, maintenanceFirstSeen, audienceRows] = await Promise.all([
    db.selectFrom('incident').selectAll().execute(),
    db.selectFrom('incident_update').selectAll().execute(),
    db.selectFrom('maintenance').selectAll().execute(),
    db.selectFrom('maintenance_update').selectAll().execute(),
    db.selectFrom('postmortem').selectAll().execute(),
    db.selectFrom('component_override').selectAll().execute(),
    loadFirstSeen(db),
    db.selectFrom('component_audience').select(['component_id', 'audience']).execute(),
  ]);
  const updatesByIncident = Map.groupBy(updateRows, (u) => u.incident_id);
  const incidents: Incident[] = incidentRows.map((r) => ({
    id: r.id,
    source: 'admin',
    title: r.title,
    severity: r.severity as Severity,
    impactOverride: r.impact_override as Impact | null,
    components: JSON.parse(r.components) as ComponentStatusMap,
    startedAt: time(r.started_at),
    detectedAt: time(r.detected_at),
    acknowledgedAt: time(r.acknowledged_at),
    mitigatedAt: time(r.mitigated_at),
    falsePositive: r.false_positive === 1,
    repeatOf: r.repeat_of,
    body: r.body,
    dataBreach: r.data_breach === 1,
    notifySubscribers: r.notify_subscribers === 1,
    ...(r.audience === 'internal' ? { audience: 'internal' as const } : {}),
    updates: sortUpdatesNewestFirst(
      (updatesByIncident.get(r.id) ?? [])
        .sort((a, b) => a.created_at.localeCompare(b.created_at))
        .map((u) => ({
          id: u.id,
          at: Date.parse(u.at),
          status: u.status as IncidentStatus,
          message: u.message,
          components: u.components === null ? null : (JSON.parse(u.components) as ComponentStatusMap),
          notify: u.notify_subscribers === 1,
        })),
    ),
  }));
  const updatesByMaintenance = Map.groupBy(maintenanceUpdateRows, (u) => u.maintenance_id);
  const maintenance: Maintenance[] = maintenanceRows.map((r) => ({
    id: r.id,
    source: 'admin',
    title: r.title,
    components: JSON.parse(r.components) as string[],
    scheduledStart: Date.parse(r.scheduled_start),
    scheduledEnd: Date.parse(r.scheduled_end),
    body: r.body,
    announcedAt: Date.parse(r.created_at),
    updates: sortUpdatesNewestFirst(
      (updatesByMaintenance.get(r.id) ?? []).map((u) => ({ id: u.id, at: Date.parse(u.at), status: u.status as MaintenanceStatus, message: u.message })),
    ),
  }));
  const postmortems: Postmortem[] = postmortemRows.map((r) => ({
    id: r.id,
    source: 'admin',
    incidentId: r.incident_id,
    title: r.title,
    publishedAt: time(r.published_at),
    body: r.body,
  }));
  const overrides = new Map(overrideRows.map((r) => [r.component_id, r.status as ComponentStatus]));
  const internalComponents = new Set(audienceRows.filter((r) => r.audience === 'internal').map((r) => r.component_id));
  return { incidents, maintenance, postmortems, overrides, maintenanceFirstSeen, internalComponents };
}
