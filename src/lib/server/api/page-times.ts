// created_at / updated_at for the page and its components. Content files carry no creation time, so the
// rule (documented in docs/api.md) is: the page was "created" at its earliest public event; it and each
// component were "updated" at the latest public event (≤ now) that touched them, else at that creation time.
import type { Incident } from '../../status/types.ts';
import type { StatusModel } from '../status-data/status-model.ts';

/** Epoch milliseconds, turned into ISO strings by the mappers. */
export interface PageTimes {
  created: number;
  updated: number;
  /** Per leaf component id; groups take the latest of their members. */
  componentUpdated: Map<string, number>;
}

/** Every component an incident names, in its own map or in any update's. */
export function incidentComponentIds(incident: Incident): string[] {
  const ids = new Set(Object.keys(incident.components));
  for (const u of incident.updates) for (const id of Object.keys(u.components ?? {})) ids.add(id);
  return [...ids];
}

/** Public events: incident updates, maintenance updates and window edges, post-mortem publications. */
function events(model: StatusModel): { at: number; components: string[] }[] {
  const out: { at: number; components: string[] }[] = [];
  for (const incident of model.incidents) {
    const components = incidentComponentIds(incident);
    for (const u of incident.updates) out.push({ at: u.at, components });
  }
  for (const m of model.maintenance) {
    for (const u of m.updates) out.push({ at: u.at, components: m.components });
    out.push({ at: m.scheduledStart, components: m.components }, { at: m.scheduledEnd, components: m.components });
  }
  for (const pm of model.postmortems) {
    if (pm.publishedAt === null) continue;
    const incident = model.incidentById.get(pm.incidentId);
    out.push({ at: pm.publishedAt, components: incident ? incidentComponentIds(incident) : [] });
  }
  return out;
}

/** The page's and every component's times at `now`; events after now count for creation only. */
export function pageTimes(model: StatusModel, now: number): PageTimes {
  let created = Infinity;
  let updated = -Infinity;
  const componentUpdated = new Map<string, number>();
  for (const e of events(model)) {
    created = Math.min(created, e.at);
    if (e.at > now) continue;
    updated = Math.max(updated, e.at);
    for (const id of e.components) componentUpdated.set(id, Math.max(componentUpdated.get(id) ?? -Infinity, e.at));
  }
  // An empty page has no event at all: the Unix epoch keeps the answer stable rather than inventing a time.
  if (created === Infinity) created = 0;
  return { created, updated: updated === -Infinity ? created : updated, componentUpdated };
}
