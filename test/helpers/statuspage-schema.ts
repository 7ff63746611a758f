// Zod schemas mirroring Statuspage's public API v2 (field names, types, enums, nesting), for contract tests.
// Objects are strict: a field Statuspage does not have, or a misspelt one, fails the test.
import { z } from 'astro/zod';

/** ISO 8601 with an explicit offset ("Z" or ±hh:mm), as Statuspage writes times. */
export const isoWithOffset = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$/, 'ISO 8601 with offset');

export const componentStatus = z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']);
export const indicator = z.enum(['none', 'minor', 'major', 'critical', 'maintenance']);
export const incidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']);
export const maintenanceStatus = z.enum(['scheduled', 'in_progress', 'verifying', 'completed']);
export const impact = z.enum(['none', 'minor', 'major', 'critical']);

/**
 * Two readings of one contract. `ours`: every field present, nothing extra (what this project sends). `genuine`:
 * what real Statuspage responses are known to do (fields added over the years, so older pages and documentation
 * examples omit some, and may carry others): each known field still has Statuspage's type when present.
 */
type Mode = 'ours' | 'genuine';
type Shape = Record<string, z.ZodType>;
const strict = <S extends Shape>(shape: S) => z.strictObject(shape);
/** Typed as our strict object either way: the tests read our bodies through these types. */
function objectFor<S extends Shape>(mode: Mode, shape: S, required: readonly string[]): ReturnType<typeof strict<S>> {
  if (mode === 'ours') return strict(shape);
  const loose: Shape = {};
  for (const [k, v] of Object.entries(shape)) loose[k] = required.includes(k) ? v : v.optional();
  return z.looseObject(loose) as unknown as ReturnType<typeof strict<S>>;
}

function schemasFor(mode: Mode) {
  const obj = <S extends Shape>(shape: S, required: readonly string[] = ['id', 'name', 'status']) => objectFor(mode, shape, required);
  const page = obj({ id: z.string().min(1), name: z.string().min(1), url: z.url(), time_zone: z.string().min(1), updated_at: isoWithOffset }, ['id', 'name', 'url']);
  const status = obj({ indicator, description: z.string().min(1) }, ['indicator', 'description']);
  const component = obj({
    id: z.string().min(1),
    name: z.string().min(1),
    status: componentStatus,
    created_at: isoWithOffset,
    updated_at: isoWithOffset,
    position: z.number().int().positive(),
    description: z.string().nullable(),
    showcase: z.boolean(),
    start_date: z.string().regex(/^\d{4}-\d\d-\d\d$/).nullable(),
    group_id: z.string().nullable(),
    page_id: z.string().min(1),
    group: z.boolean(),
    only_show_if_degraded: z.boolean(),
    components: z.array(z.string()).optional(),
  }).refine((c) => {
    const v = c as { group?: boolean; group_id?: string | null; components?: string[] };
    if (v.group === undefined) return true;
    return v.group ? Array.isArray(v.components) && !v.group_id : v.components === undefined;
  }, { error: 'a group lists its member ids in components and has no group_id; a leaf has no components' });
  const affectedComponent = obj({ code: z.string().min(1), name: z.string().min(1), old_status: componentStatus, new_status: componentStatus }, ['code']);
  const incidentUpdate = obj({
    id: z.string().min(1),
    status: z.union([incidentStatus, maintenanceStatus]),
    body: z.string(),
    incident_id: z.string().min(1),
    created_at: isoWithOffset,
    updated_at: isoWithOffset,
    display_at: isoWithOffset,
    affected_components: z.array(affectedComponent).nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.string().nullable(),
    tweet_id: z.string().nullable(),
  }, ['id', 'status', 'body']);
  const incidentFields = {
    id: z.string().min(1),
    name: z.string().min(1),
    created_at: isoWithOffset,
    updated_at: isoWithOffset,
    monitoring_at: isoWithOffset.nullable(),
    resolved_at: isoWithOffset.nullable(),
    shortlink: z.url(),
    started_at: isoWithOffset,
    page_id: z.string().min(1),
    incident_updates: z.array(incidentUpdate),
    components: z.array(component),
    // Statuspage writes the reminder schedule as a string such as "[3, 6, 12, 24]".
    reminder_intervals: z.string().nullable(),
  };
  const incident = obj({ ...incidentFields, status: incidentStatus, impact }, ['id', 'name', 'status', 'incident_updates']);
  const scheduledMaintenance = obj({
    ...incidentFields,
    status: maintenanceStatus,
    impact: z.union([impact, z.literal('maintenance')]),
    scheduled_for: isoWithOffset,
    scheduled_until: isoWithOffset,
  }, ['id', 'name', 'status', 'impact', 'scheduled_for', 'scheduled_until']);
  const both = ['page'];
  return {
    page, status, component, affectedComponent, incidentUpdate, incident, scheduledMaintenance,
    statusBody: obj({ page, status }, [...both, 'status']),
    componentsBody: obj({ page, components: z.array(component) }, [...both, 'components']),
    incidentsBody: obj({ page, incidents: z.array(incident) }, [...both, 'incidents']),
    maintenancesBody: obj({ page, scheduled_maintenances: z.array(scheduledMaintenance) }, [...both, 'scheduled_maintenances']),
    summaryBody: obj({
      page,
      components: z.array(component),
      incidents: z.array(incident),
      scheduled_maintenances: z.array(scheduledMaintenance),
      status,
    }, [...both, 'components', 'incidents', 'scheduled_maintenances', 'status']),
  };
}

const ours = schemasFor('ours');
/** The lenient reading that genuine Statuspage responses (test/fixtures/statuspage) satisfy. */
export const genuine = schemasFor('genuine');

export const { page, status, component, affectedComponent, incidentUpdate, incident, scheduledMaintenance } = ours;
export const { statusBody, componentsBody, incidentsBody, maintenancesBody, summaryBody } = ours;

/** Every v2 endpoint and the schema its body must satisfy. */
export const v2Endpoints = {
  '/api/v2/summary.json': summaryBody,
  '/api/v2/status.json': statusBody,
  '/api/v2/components.json': componentsBody,
  '/api/v2/incidents.json': incidentsBody,
  '/api/v2/incidents/unresolved.json': incidentsBody,
  '/api/v2/scheduled-maintenances.json': maintenancesBody,
  '/api/v2/scheduled-maintenances/upcoming.json': maintenancesBody,
  '/api/v2/scheduled-maintenances/active.json': maintenancesBody,
} as const;

export type SummaryBody = z.infer<typeof summaryBody>;
export type IncidentsBody = z.infer<typeof incidentsBody>;
export type MaintenancesBody = z.infer<typeof maintenancesBody>;
export type ComponentsBody = z.infer<typeof componentsBody>;
