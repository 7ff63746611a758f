// The incident archive, a page at a time: the work per page does not grow with the archive.
import { formatMonthKey } from '../../status/format.ts';
import type { Locale } from '../../i18n/locales.ts';
import { startedAt } from '../../status/incident.ts';
import { dayKey } from '../../status/time.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { siteView } from './home.view.ts';
import { filteredIncidents, memoOnModel, type HistoryFilter } from './history-index.ts';
import { incidentView } from './present.ts';
import type { IncidentView, SiteView } from './view-types.ts';

export const HISTORY_PAGE_SIZE = 25;

export type { HistoryFilter } from './history-index.ts';

export const NO_FILTER: HistoryFilter = { component: null, month: null };

export interface HistoryView {
  site: SiteView;
  page: number;
  pageCount: number;
  total: number;
  months: { month: string; label: string; incidents: IncidentView[] }[];
  filter: HistoryFilter;
  /** The choices of the filter form: components (groups first, with their members) and months, newest first. */
  choices: {
    components: { id: string; name: string; members: { id: string; name: string }[] }[];
    months: { key: string; label: string }[];
  };
}

/** Reads ?component= and ?month=: an unknown component or a month that is not YYYY-MM is refused, naming it. */
export function parseHistoryFilter(
  model: Pick<StatusModel, 'componentById' | 'groups'>,
  component: string | null,
  month: string | null,
): { ok: true; filter: HistoryFilter } | { ok: false; problem: 'component' | 'month'; value: string } {
  const c = component === null || component === '' ? null : component;
  const m = month === null || month === '' ? null : month;
  if (c !== null && !model.componentById.has(c) && !model.groups.some((g) => g.id === c)) return { ok: false, problem: 'component', value: c };
  if (m !== null && !/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(m)) return { ok: false, problem: 'month', value: m };
  return { ok: true, filter: { component: c, month: m } };
}

/** The query string that keeps a filter across links ('' for none), with a leading '?'. */
export function historyFilterQuery(filter: HistoryFilter): string {
  const q = new URLSearchParams();
  if (filter.component) q.set('component', filter.component);
  if (filter.month) q.set('month', filter.month);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** Parses ?page=; null for anything that is not a whole number ≥ 1. */
export function parsePageParam(raw: string | null): number | null {
  if (raw === null) return 1;
  if (!/^[1-9][0-9]{0,6}$/.test(raw)) return null;
  return Number(raw);
}

/** The canonical path of a history page: /history, then /history/page/N (static hosts ignore query strings). */
export function historyPagePath(page: number, filter: HistoryFilter = NO_FILTER): string {
  return `${page <= 1 ? '/history' : `/history/page/${page}`}${historyFilterQuery(filter)}`;
}

/** Every month from the newest incident back to the oldest (months without incidents too). */
function monthChoices(model: StatusModel, locale: Locale): { key: string; label: string }[] {
  const tz = model.site.timezone;
  let newest = -Infinity;
  let oldestAt = Infinity;
  for (const i of model.incidents) {
    const t = startedAt(i);
    if (t === null) continue;
    newest = Math.max(newest, t);
    oldestAt = Math.min(oldestAt, t);
  }
  if (newest === -Infinity) return [];
  let [y, m] = dayKey(newest, tz).slice(0, 7).split('-').map(Number) as [number, number];
  const oldest = dayKey(oldestAt, tz).slice(0, 7);
  const out: { key: string; label: string }[] = [];
  for (let n = 0; n < 1200; n++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push({ key, label: formatMonthKey(key, locale) });
    if (key <= oldest) break;
    m -= 1;
    if (m === 0) [y, m] = [y - 1, 12];
  }
  return out;
}

function componentChoices(model: StatusModel): HistoryView['choices']['components'] {
  const grouped = new Set(model.groups.flatMap((g) => g.components.map((c) => c.id)));
  return [
    ...model.groups.map((g) => ({ id: g.id, name: g.name, members: g.components.map((c) => ({ id: c.id, name: c.name })) })),
    ...model.components.filter((c) => !grouped.has(c.id)).map((c) => ({ id: c.id, name: c.name, members: [] })),
  ];
}

/** The given page of the archive (narrowed by the filter), or null when the page is past the end. */
export function buildHistoryView(model: StatusModel, page: number, now: number, filter: HistoryFilter = NO_FILTER, locale: Locale = 'en'): HistoryView | null {
  const tz = model.site.timezone;
  const filtered = filteredIncidents(model, filter);
  const total = filtered.length;
  const pageCount = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  if (page > pageCount) return null;
  const slice = filtered.slice((page - 1) * HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE);
  const months: HistoryView['months'] = [];
  for (const incident of slice) {
    const start = startedAt(incident) ?? 0;
    const month = dayKey(start, tz).slice(0, 7);
    let group = months[months.length - 1];
    if (!group || group.month !== month) {
      group = { month, label: formatMonthKey(month, locale), incidents: [] };
      months.push(group);
    }
    group.incidents.push(incidentView(model, incident, now, locale));
  }
  return {
    site: siteView(model), page, pageCount, total, months, filter,
    choices: { components: componentChoices(model), months: memoOnModel(model, `months:${locale}`, () => monthChoices(model, locale)) },
  };
}
