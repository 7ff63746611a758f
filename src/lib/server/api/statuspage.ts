// The bodies of Statuspage's public API v2, computed from the read model at `now` (pure: no I/O here).
import { formatIsoWithOffset } from '../../status/iso-offset.ts';
import type { OverallStatus } from '../../status/overall.ts';
import type { Incident } from '../../status/types.ts';
import type { ComponentStatus } from '../../status/vocabulary.ts';
import { currentStatus, type CurrentStatus } from '../views/current-status.ts';
import type { ApiContext } from './api-context.ts';
import { pageTimes } from './page-times.ts';
import {
  spIncident, spMaintenance, type MapContext, type SpIncident, type SpScheduledMaintenance,
} from './statuspage-incident.ts';

/** How many incidents (and maintenance windows) the "all" lists carry, as Statuspage's do. */
export const RECENT_LIMIT = 50;

/** The `page` object every v2 body starts with. */
export interface SpPage {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: string;
}

/** A component or a group, as Statuspage lists both. */
export interface SpComponent {
  id: string;
  name: string;
  status: ComponentStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  /** Groups only: the member ids. */
  components?: string[];
}

/** Bodies of the v2 endpoints, one per path. */
export interface SpStatusBody { page: SpPage; status: OverallStatus }
export interface SpComponentsBody { page: SpPage; components: SpComponent[] }
export interface SpIncidentsBody { page: SpPage; incidents: SpIncident[] }
export interface SpMaintenanceBody { page: SpPage; scheduled_maintenances: SpScheduledMaintenance[] }
export interface SpSummaryBody {
  page: SpPage;
  components: SpComponent[];
  incidents: SpIncident[];
  scheduled_maintenances: SpScheduledMaintenance[];
  status: OverallStatus;
}

/** The state every v2 body is built from, computed once per request. */
export interface SpState extends MapContext {
  current: CurrentStatus;
  page: SpPage;
  /** Groups and leaves in display order. */
  components: SpComponent[];
}

/** Derives statuses, times and component JSON once; each endpoint body below picks from it. */
export function spState(ctx: ApiContext): SpState {
  const { model, now } = ctx;
  const tz = model.site.timezone;
  const iso = (at: number): string => formatIsoWithOffset(at, tz);
  const current = currentStatus(model, now);
  const times = pageTimes(model, now);
  const base = (id: string, name: string, description: string | null, position: number) => ({
    id, name, description, position, page_id: ctx.pageId,
    showcase: true, start_date: null, only_show_if_degraded: false, created_at: iso(times.created),
  });
  // Statuspage counts positions per level: groups and ungrouped components share the top level (from 1), and a
  // group's members count from 1 within it. The list keeps components.yaml order (model positions).
  const rank = new Map<string, number>();
  const top = [...model.groups.map((g) => ({ id: g.id, position: g.position })), ...model.components.filter((c) => c.groupId === null)]
    .sort((a, b) => a.position - b.position);
  top.forEach((t, i) => rank.set(t.id, i + 1));
  for (const g of model.groups) [...g.components].sort((a, b) => a.position - b.position).forEach((c, i) => rank.set(c.id, i + 1));
  const order = new Map<string, number>();
  const components: SpComponent[] = [];
  for (const g of model.groups) {
    order.set(g.id, g.position);
    const memberTimes = g.components.map((c) => times.componentUpdated.get(c.id) ?? times.created);
    components.push({
      ...base(g.id, g.name, g.description, rank.get(g.id) ?? 1),
      status: current.groupStatus.get(g.id) ?? 'operational',
      updated_at: iso(Math.max(times.created, ...memberTimes)),
      group_id: null,
      group: true,
      components: g.components.map((c) => c.id),
    });
  }
  for (const c of model.components) {
    order.set(c.id, c.position);
    components.push({
      ...base(c.id, c.name, c.description, rank.get(c.id) ?? 1),
      status: current.componentStatus.get(c.id) ?? c.baseline,
      updated_at: iso(times.componentUpdated.get(c.id) ?? times.created),
      group_id: c.groupId,
      group: false,
    });
  }
  components.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const ordered = components.map(orderKeys);
  const page: SpPage = { id: ctx.pageId, name: model.site.name, url: ctx.baseUrl, time_zone: tz, updated_at: iso(times.updated) };
  return { ctx, times, current, page, components: ordered, componentJson: new Map(ordered.map((c) => [c.id, c])) };
}

// Keys in the order Statuspage writes them, so a diff against a real response reads naturally.
const keyOrder: (keyof SpComponent)[] = [
  'id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'start_date',
  'group_id', 'page_id', 'group', 'only_show_if_degraded', 'components',
];
function orderKeys(c: SpComponent): SpComponent {
  const out: Record<string, unknown> = {};
  for (const k of keyOrder) if (c[k] !== undefined) out[k] = c[k];
  return out as unknown as SpComponent;
}

/** GET /api/v2/status.json */
export function statusBody(s: SpState): SpStatusBody {
  return { page: s.page, status: s.current.overall };
}

/** GET /api/v2/components.json: groups appear as components with group: true. */
export function componentsBody(s: SpState): SpComponentsBody {
  return { page: s.page, components: s.components };
}

// An incident without a single update has no status to report yet.
const published = (s: SpState): Incident[] => s.ctx.model.incidents.filter((i) => i.updates.length > 0);

/** GET /api/v2/incidents.json: the 50 most recent, newest first. */
export function incidentsBody(s: SpState): SpIncidentsBody {
  return { page: s.page, incidents: published(s).slice(0, RECENT_LIMIT).map((i) => spIncident(s, i)) };
}

/** GET /api/v2/incidents/unresolved.json */
export function unresolvedIncidentsBody(s: SpState): SpIncidentsBody {
  return { page: s.page, incidents: s.current.openIncidents.map((i) => spIncident(s, i)) };
}

/** GET /api/v2/scheduled-maintenances.json: the 50 most recent by scheduled start, newest first. */
export function maintenancesBody(s: SpState): SpMaintenanceBody {
  const recent = [...s.ctx.model.maintenance].sort((a, b) => b.scheduledStart - a.scheduledStart).slice(0, RECENT_LIMIT);
  return { page: s.page, scheduled_maintenances: recent.map((m) => spMaintenance(s, m)) };
}

/** GET /api/v2/scheduled-maintenances/upcoming.json: status scheduled, soonest first. */
export function upcomingMaintenancesBody(s: SpState): SpMaintenanceBody {
  return { page: s.page, scheduled_maintenances: s.current.upcomingMaintenance.map((m) => spMaintenance(s, m)) };
}

/** GET /api/v2/scheduled-maintenances/active.json: in progress or verifying. */
export function activeMaintenancesBody(s: SpState): SpMaintenanceBody {
  return { page: s.page, scheduled_maintenances: s.current.activeMaintenance.map((m) => spMaintenance(s, m)) };
}

/** GET /api/v2/summary.json: everything a widget needs in one request. */
export function summaryBody(s: SpState): SpSummaryBody {
  return {
    page: s.page,
    components: s.components,
    incidents: unresolvedIncidentsBody(s).incidents,
    scheduled_maintenances: [...activeMaintenancesBody(s).scheduled_maintenances, ...upcomingMaintenancesBody(s).scheduled_maintenances],
    status: s.current.overall,
  };
}
