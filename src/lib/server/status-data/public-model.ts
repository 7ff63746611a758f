// The status model as the public may see it: every internal item gone, and no reference to one left behind
// (docs/decisions/016-internal-audience.md).
import { isOpen } from '../../status/incident.ts';
import type { Component, ComponentStatusMap, Incident, IncidentUpdate, Maintenance } from '../../status/types.ts';
import type { StatusModel } from './status-model.ts';

const idsByModel = new WeakMap<object, Set<string>>();

/** Ids of the components only the team sees: marked internal, or members of an internal group (remembered per model). */
export function internalComponentIds(model: Pick<StatusModel, 'groups' | 'components'>): Set<string> {
  let ids = idsByModel.get(model);
  if (!ids) idsByModel.set(model, (ids = findInternalIds(model)));
  return ids;
}

function findInternalIds(model: Pick<StatusModel, 'groups' | 'components'>): Set<string> {
  const internalGroups = new Set(model.groups.filter((g) => g.audience === 'internal').map((g) => g.id));
  return new Set(model.components.filter((c) => c.audience === 'internal' || (c.groupId !== null && internalGroups.has(c.groupId))).map((c) => c.id));
}

/** An incident is internal when marked so, or when it names components and every one of them is internal. */
export function isInternalIncident(incident: Pick<Incident, 'audience' | 'components'>, internal: ReadonlySet<string>): boolean {
  if (incident.audience === 'internal') return true;
  const ids = Object.keys(incident.components);
  return ids.length > 0 && ids.every((id) => internal.has(id));
}

/** The same rule for a maintenance window. */
export function isInternalMaintenance(m: Pick<Maintenance, 'audience' | 'components'>, internal: ReadonlySet<string>): boolean {
  if (m.audience === 'internal') return true;
  return m.components.length > 0 && m.components.every((id) => internal.has(id));
}

function scrubMap(map: ComponentStatusMap, internal: ReadonlySet<string>): ComponentStatusMap {
  return Object.fromEntries(Object.entries(map).filter(([id]) => !internal.has(id)));
}

/** An incident without its team-only components, in its own map and in every update's. */
export function scrubIncident<T extends Pick<Incident, 'components' | 'updates'>>(incident: T, internal: ReadonlySet<string>): T {
  return { ...incident, components: scrubMap(incident.components, internal), updates: incident.updates.map((u) => scrubUpdate(u, internal)) };
}

/** An update without its team-only components. */
export function scrubUpdate(update: IncidentUpdate, internal: ReadonlySet<string>): IncidentUpdate {
  return update.components === null ? update : { ...update, components: scrubMap(update.components, internal) };
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.id, i]));
}

/** Drops internal components, groups, incidents, maintenance and their post-mortems; public items lose their references to them. */
export function publicModel(model: StatusModel): StatusModel {
  const internal = internalComponentIds(model);
  const hiddenGroups = new Set(model.groups.filter((g) => g.audience === 'internal').map((g) => g.id));
  if (internal.size === 0 && hiddenGroups.size === 0 && !model.incidents.some((i) => i.audience === 'internal')
    && !model.maintenance.some((m) => m.audience === 'internal')) {
    return { ...model, problems: [] };
  }
  const keep = (c: Component): boolean => !internal.has(c.id);
  const groups = model.groups.filter((g) => !hiddenGroups.has(g.id)).map((g) => ({ ...g, components: g.components.filter(keep) }));
  const components = model.components.filter(keep);
  const hiddenIncidents = new Set(model.incidents.filter((i) => isInternalIncident(i, internal)).map((i) => i.id));
  const incidents: Incident[] = model.incidents
    .filter((i) => !hiddenIncidents.has(i.id))
    .map((i) => ({ ...scrubIncident(i, internal), repeatOf: i.repeatOf !== null && hiddenIncidents.has(i.repeatOf) ? null : i.repeatOf }));
  const incidentById = byId(incidents);
  const maintenance = model.maintenance
    .filter((m) => !isInternalMaintenance(m, internal))
    .map((m) => ({ ...m, components: m.components.filter((id) => !internal.has(id)) }));
  const postmortems = model.postmortems.filter((p) => !hiddenIncidents.has(p.incidentId));
  const publishedPostmortemByIncident = new Map([...model.publishedPostmortemByIncident].filter(([id]) => !hiddenIncidents.has(id)));
  const recent = new Set(model.recentIncidents.map((i) => i.id));
  const open = new Set(model.openIncidents.map((i) => i.id));
  return {
    site: model.site,
    groups,
    components,
    componentById: byId(components),
    incidents,
    openIncidents: incidents.filter((i) => open.has(i.id) && isOpen(i)),
    recentIncidents: incidents.filter((i) => recent.has(i.id)),
    incidentById,
    maintenance,
    maintenanceById: byId(maintenance),
    postmortems,
    postmortemById: byId(postmortems),
    publishedPostmortemByIncident,
    // Content problems name files and ids: the team's business.
    problems: [],
  };
}
