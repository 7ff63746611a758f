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

export const page = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  url: z.url(),
  time_zone: z.string().min(1),
  updated_at: isoWithOffset,
});

export const status = z.strictObject({ indicator, description: z.string().min(1) });

export const component = z
  .strictObject({
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
  })
  .refine((c) => (c.group ? Array.isArray(c.components) && c.group_id === null : c.components === undefined), {
    error: 'a group lists its member ids in components and has no group_id; a leaf has no components',
  });

export const affectedComponent = z.strictObject({
  code: z.string().min(1),
  name: z.string().min(1),
  old_status: componentStatus,
  new_status: componentStatus,
});

export const incidentUpdate = z.strictObject({
  id: z.string().min(1),
  status: z.union([incidentStatus, maintenanceStatus]),
  body: z.string(),
  incident_id: z.string().min(1),
  created_at: isoWithOffset,
  updated_at: isoWithOffset,
  display_at: isoWithOffset,
  affected_components: z.array(affectedComponent).nullable(),
});

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
};

export const incident = z.strictObject({ ...incidentFields, status: incidentStatus, impact });

export const scheduledMaintenance = z.strictObject({
  ...incidentFields,
  status: maintenanceStatus,
  impact: z.union([impact, z.literal('maintenance')]),
  scheduled_for: isoWithOffset,
  scheduled_until: isoWithOffset,
});

export const statusBody = z.strictObject({ page, status });
export const componentsBody = z.strictObject({ page, components: z.array(component) });
export const incidentsBody = z.strictObject({ page, incidents: z.array(incident) });
export const maintenancesBody = z.strictObject({ page, scheduled_maintenances: z.array(scheduledMaintenance) });
export const summaryBody = z.strictObject({
  page,
  components: z.array(component),
  incidents: z.array(incident),
  scheduled_maintenances: z.array(scheduledMaintenance),
  status,
});

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
