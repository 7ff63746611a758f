// The archive indexed once per read model, so a history page costs the same at 100 or 100,000 incidents:
// incidents by component (built on first use), months found by binary search over the newest-first list.
import { startedAt } from '../../status/incident.ts';
import { addDays, startOfDay } from '../../status/time.ts';
import type { Incident } from '../../status/types.ts';
import type { StatusModel } from '../status-data/status-model.ts';

/** What the reader narrowed the archive to (?component=<id>&month=YYYY-MM); null means all. */
export interface HistoryFilter {
  component: string | null;
  month: string | null;
}

interface ModelIndex {
  byComponent: Map<string, Incident[]>;
  /** Derived values of the model kept with it (month choices per locale…), dropped with the model. */
  memo: Map<string, unknown>;
}

const indexes = new WeakMap<StatusModel, ModelIndex>();

function indexOf(model: StatusModel): ModelIndex {
  let index = indexes.get(model);
  if (!index) indexes.set(model, (index = { byComponent: new Map(), memo: new Map() }));
  return index;
}

/** `compute()` once per model and key; later calls on the same model return the same value. */
export function memoOnModel<T>(model: StatusModel, key: string, compute: () => T): T {
  const { memo } = indexOf(model);
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}

/** Incidents naming the component, or any member of the group with that id, newest first (the model's order). */
function incidentsOf(model: StatusModel, id: string): Incident[] {
  const { byComponent } = indexOf(model);
  let list = byComponent.get(id);
  if (!list) {
    const group = model.groups.find((g) => g.id === id);
    const ids = group ? group.components.map((c) => c.id) : [id];
    list = model.incidents.filter((i) => ids.some((c) => c in i.components));
    byComponent.set(id, list);
  }
  return list;
}

/** The first index whose start is before `instant` in a newest-first list (a missing start counts as 0, as the model sorts). */
function firstBefore(list: readonly Incident[], instant: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((startedAt(list[mid]!) ?? 0) < instant) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first day of the month after a YYYY-MM key. */
function nextMonthStart(month: string): string {
  return `${addDays(`${month}-28`, 7).slice(0, 7)}-01`;
}

/** The incidents a filter keeps, in the model's order; unfiltered, the model's own list (no copy). */
export function filteredIncidents(model: StatusModel, filter: HistoryFilter): readonly Incident[] {
  const base = filter.component === null ? model.incidents : incidentsOf(model, filter.component);
  if (filter.month === null) return base;
  const tz = model.site.timezone;
  // The month is [its first local midnight, the next month's): a contiguous run of the newest-first list.
  const from = firstBefore(base, startOfDay(nextMonthStart(filter.month), tz));
  const to = firstBefore(base, startOfDay(`${filter.month}-01`, tz));
  return base.slice(from, to).filter((i) => startedAt(i) !== null);
}
