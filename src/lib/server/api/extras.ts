// Our own API (/api/v1): what Statuspage's v2 has no field for: severity, post-mortems, per-day uptime.
import { z } from 'astro/zod';
import { formatIsoWithOffset } from '../../status/iso-offset.ts';
import {
  currentIncidentComponents, detectedAt, incidentDuration, incidentImpact, incidentStatus, resolvedAt, startedAt,
} from '../../status/incident.ts';
import type { Component, Incident } from '../../status/types.ts';
import type { ComponentStatus, Impact, IncidentStatus, Severity } from '../../status/vocabulary.ts';
import { severityLevels } from '../../status/vocabulary.ts';
import { componentUptimes, dayWindows, UPTIME_DAYS, type ComponentUptime } from '../views/component-uptime.ts';
import { currentStatus } from '../views/current-status.ts';
import { absoluteUrl, type ApiContext } from './api-context.ts';

/** ?days=1…90 (default 90) and ?limit=1…500 (default 50): anything else is a 400, never a 500. */
export const extrasQuerySchema = z.object({
  days: z.string().regex(/^[0-9]{1,3}$/, { error: 'days must be a whole number from 1 to 90' })
    .transform(Number).pipe(z.number().min(1, { error: 'days must be from 1 to 90' }).max(UPTIME_DAYS, { error: 'days must be from 1 to 90' }))
    .default(UPTIME_DAYS),
  limit: z.string().regex(/^[0-9]{1,4}$/, { error: 'limit must be a whole number from 1 to 500' })
    .transform(Number).pipe(z.number().min(1, { error: 'limit must be from 1 to 500' }).max(500, { error: 'limit must be from 1 to 500' }))
    .default(50),
});
/** The parsed query: defaults filled in. */
export type ExtrasQuery = z.infer<typeof extrasQuerySchema>;

/** Reads the known query parameters (unknown ones are ignored); an error message when one is malformed. */
export function parseExtrasQuery(params: URLSearchParams): { ok: true; value: ExtrasQuery } | { ok: false; error: string } {
  const raw: Record<string, string> = {};
  for (const key of ['days', 'limit'] as const) {
    const v = params.get(key);
    if (v !== null) raw[key] = v;
  }
  const r = extrasQuerySchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: r.error.issues[0]?.message ?? 'bad query' };
}

/** A published post-mortem and where to read it. */
export interface ExtPostmortem { id: string; title: string; url: string; published_at: string; incident_id: string }

/** An incident with what the runbook tracks and Statuspage has no field for. */
export interface ExtIncident {
  id: string;
  name: string;
  url: string;
  status: IncidentStatus;
  impact: Impact;
  severity: Severity;
  severity_name: string;
  started_at: string | null;
  detected_at: string | null;
  acknowledged_at: string | null;
  mitigated_at: string | null;
  resolved_at: string | null;
  duration_seconds: number | null;
  false_positive: boolean;
  repeat_of: string | null;
  components: { id: string; name: string; status: ComponentStatus }[];
  postmortem: ExtPostmortem | null;
}

/** One calendar day of one component, in the site zone. */
export interface ExtUptimeDay {
  date: string;
  uptime: number | null;
  worst_status: ComponentStatus;
  minutes: Partial<Record<ComponentStatus, number>>;
  incident_ids: string[];
}

/** A component's uptime over the window, with the days it is made of. */
export interface ExtComponentUptime {
  id: string;
  name: string;
  group_id: string | null;
  status: ComponentStatus;
  uptime: number | null;
  days: ExtUptimeDay[];
}

const iso = (ctx: ApiContext, at: number | null): string | null => (at === null ? null : formatIsoWithOffset(at, ctx.model.site.timezone));
const round = (x: number | null, digits = 6): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** A published post-mortem (null for drafts and future publication dates). */
export function extPostmortem(ctx: ApiContext, incidentId: string): ExtPostmortem | null {
  const pm = ctx.model.publishedPostmortemByIncident.get(incidentId);
  if (!pm || pm.publishedAt === null || pm.publishedAt > ctx.now) return null;
  return { id: pm.id, title: pm.title, url: absoluteUrl(ctx, `/postmortems/${encodeURIComponent(pm.id)}`), published_at: iso(ctx, pm.publishedAt)!, incident_id: incidentId };
}

/** One incident with the runbook's fields: severity, the response timestamps, its post-mortem. */
export function extIncident(ctx: ApiContext, incident: Incident): ExtIncident {
  const resolved = resolvedAt(incident);
  const affected = resolved === null ? currentIncidentComponents(incident) : incident.components;
  const duration = incidentDuration(incident, ctx.now);
  return {
    id: incident.id,
    name: incident.title,
    url: absoluteUrl(ctx, `/incidents/${encodeURIComponent(incident.id)}`),
    status: incidentStatus(incident),
    impact: incidentImpact(incident),
    severity: incident.severity,
    severity_name: severityLevels[incident.severity].name,
    started_at: iso(ctx, startedAt(incident)),
    detected_at: iso(ctx, detectedAt(incident)),
    acknowledged_at: iso(ctx, incident.acknowledgedAt),
    mitigated_at: iso(ctx, incident.mitigatedAt),
    resolved_at: iso(ctx, resolved),
    duration_seconds: duration === null ? null : Math.round(duration / 1000),
    false_positive: incident.falsePositive,
    repeat_of: incident.repeatOf,
    components: Object.entries(affected).map(([id, status]) => ({ id, name: ctx.model.componentById.get(id)?.name ?? id, status })),
    postmortem: extPostmortem(ctx, incident.id),
  };
}

/** GET /api/v1/incidents.json: the most recent incidents, newest first. */
export function extIncidentsBody(ctx: ApiContext, limit: number): { incidents: ExtIncident[] } {
  const list = ctx.model.incidents.filter((i) => i.updates.length > 0).slice(0, limit);
  return { incidents: list.map((i) => extIncident(ctx, i)) };
}

/** GET /api/v1/postmortems.json: published post-mortems, newest first. */
export function extPostmortemsBody(ctx: ApiContext): { postmortems: ExtPostmortem[] } {
  const list: ExtPostmortem[] = [];
  for (const pm of ctx.model.postmortems) {
    const published = extPostmortem(ctx, pm.incidentId);
    if (published?.id === pm.id) list.push(published);
  }
  return { postmortems: list };
}

function uptimeEntry(ctx: ApiContext, c: Component, u: ComponentUptime, status: ComponentStatus): ExtComponentUptime {
  return {
    id: c.id,
    name: c.name,
    group_id: c.groupId,
    status,
    uptime: round(u.uptime),
    days: u.days.map((d) => ({
      date: d.day,
      uptime: round(d.uptime),
      worst_status: d.worst,
      minutes: Object.fromEntries(Object.entries(d.msByStatus).map(([s, ms]) => [s, round(ms / 60000, 2)])),
      incident_ids: d.incidentIds,
    })),
  };
}

/** Uptime of the given components over the last `days` days (docs/decisions/003-uptime.md). */
function uptimes(ctx: ApiContext, components: readonly Component[], days: number): ExtComponentUptime[] {
  const all = componentUptimes(ctx.model, dayWindows(ctx.now, ctx.model.site.timezone, days), ctx.now);
  const current = currentStatus(ctx.model, ctx.now);
  return components.map((c) => uptimeEntry(ctx, c, all.get(c.id)!, current.componentStatus.get(c.id) ?? c.baseline));
}

/** GET /api/v1/uptime.json: every component's uptime with per-day figures. */
export function extUptimeBody(ctx: ApiContext, days: number): { days: number; time_zone: string; components: ExtComponentUptime[] } {
  return { days, time_zone: ctx.model.site.timezone, components: uptimes(ctx, ctx.model.components, days) };
}

/** GET /api/v1/components/<id>.json: one component (or a group and its members) with uptime; null when unknown. */
export function extComponentBody(ctx: ApiContext, id: string, days: number): { component: ExtComponentUptime } | { group: { id: string; name: string; status: ComponentStatus; components: ExtComponentUptime[] } } | null {
  const leaf = ctx.model.componentById.get(id);
  if (leaf) return { component: uptimes(ctx, [leaf], days)[0]! };
  const group = ctx.model.groups.find((g) => g.id === id);
  if (!group) return null;
  const status = currentStatus(ctx.model, ctx.now).groupStatus.get(group.id) ?? 'operational';
  return { group: { id: group.id, name: group.name, status, components: uptimes(ctx, group.components, days) } };
}
