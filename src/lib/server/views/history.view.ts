// The incident archive, a page at a time: the work per page does not grow with the archive.
import { formatMonthKey } from '../../status/format.ts';
import { startedAt } from '../../status/incident.ts';
import { dayKey } from '../../status/time.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { siteView } from './home.view.ts';
import { incidentView } from './present.ts';
import type { IncidentView, SiteView } from './view-types.ts';

export const HISTORY_PAGE_SIZE = 25;

export interface HistoryView {
  site: SiteView;
  page: number;
  pageCount: number;
  total: number;
  months: { month: string; label: string; incidents: IncidentView[] }[];
}

/** Parses ?page=; null for anything that is not a whole number ≥ 1. */
export function parsePageParam(raw: string | null): number | null {
  if (raw === null) return 1;
  if (!/^[1-9][0-9]{0,6}$/.test(raw)) return null;
  return Number(raw);
}

/** The canonical path of a history page: /history, then /history/page/N (static hosts ignore query strings). */
export function historyPagePath(page: number): string {
  return page <= 1 ? '/history' : `/history/page/${page}`;
}

/** The given page of the archive, or null when the page is past the end. */
export function buildHistoryView(model: StatusModel, page: number, now: number): HistoryView | null {
  const tz = model.site.timezone;
  const total = model.incidents.length;
  const pageCount = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  if (page > pageCount) return null;
  const slice = model.incidents.slice((page - 1) * HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE);
  const months: HistoryView['months'] = [];
  for (const incident of slice) {
    const start = startedAt(incident) ?? 0;
    const month = dayKey(start, tz).slice(0, 7);
    let group = months[months.length - 1];
    if (!group || group.month !== month) {
      group = { month, label: formatMonthKey(month), incidents: [] };
      months.push(group);
    }
    group.incidents.push(incidentView(model, incident, now));
  }
  return { site: siteView(model), page, pageCount, total, months };
}
