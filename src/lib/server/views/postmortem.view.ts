// Published post-mortems: the list and one page, with a summary taken from the incident.
import { formatDayKey, formatElapsed } from '../../status/format.ts';
import type { Locale } from '../../i18n/locales.ts';
import { incidentDuration, startedAt } from '../../status/incident.ts';
import { dayKey } from '../../status/time.ts';
import type { Postmortem } from '../../status/types.ts';
import { renderMarkdown } from '../markdown/markdown.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { timeView } from './present.ts';
import type { TimeView } from './view-types.ts';

export interface PostmortemSummaryView {
  id: string;
  href: string;
  title: string;
  published: TimeView;
  incident: { id: string; href: string; title: string };
  date: string;
  durationText: string;
  severity: string;
}

export interface PostmortemView extends PostmortemSummaryView {
  bodyHtml: string;
}

function summary(model: StatusModel, pm: Postmortem, now: number, locale: Locale): PostmortemSummaryView | null {
  const incident = model.incidentById.get(pm.incidentId);
  if (!incident || pm.publishedAt === null || pm.publishedAt > now) return null;
  const tz = model.site.timezone;
  const start = startedAt(incident);
  const duration = incidentDuration(incident, now);
  return {
    id: pm.id,
    href: `/postmortems/${encodeURIComponent(pm.id)}`,
    title: pm.title,
    published: timeView(pm.publishedAt, tz, locale),
    incident: { id: incident.id, href: `/incidents/${encodeURIComponent(incident.id)}`, title: incident.title },
    date: start === null ? '—' : formatDayKey(dayKey(start, tz), locale),
    durationText: duration === null ? '—' : formatElapsed(duration, locale),
    severity: incident.severity,
  };
}

/** Published post-mortems, newest first; drafts never appear. */
export function buildPostmortemList(model: StatusModel, now: number, locale: Locale = 'en'): PostmortemSummaryView[] {
  return model.postmortems.map((p) => summary(model, p, now, locale)).filter((p): p is PostmortemSummaryView => p !== null);
}

/** One published post-mortem, or null (unknown id or still a draft). */
export function buildPostmortemView(model: StatusModel, id: string, now: number, locale: Locale = 'en'): PostmortemView | null {
  const pm = model.postmortemById.get(id);
  const s = pm ? summary(model, pm, now, locale) : null;
  return pm && s ? { ...s, bodyHtml: renderMarkdown(pm.body) } : null;
}
