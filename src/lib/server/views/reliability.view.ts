// /reliability: the public 90-day record (incidents by severity, time to resolution, uptime, post-mortems), when site.yaml opts in.
import { incidentDurations, inRange, metricRange, summarize } from '../../status/metrics.ts';
import { formatElapsed, formatUptimeIn } from '../../status/format.ts';
import { severities, severityName, type Severity } from '../../status/vocabulary.ts';
import type { Locale } from '../../i18n/locales.ts';
import { translate } from '../../i18n/translate.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { componentUptimes, dayWindows, UPTIME_DAYS } from './component-uptime.ts';
import { siteView } from './home.view.ts';
import { buildPostmortemList, type PostmortemSummaryView } from './postmortem.view.ts';
import { timeView } from './present.ts';
import type { SiteView, TimeView } from './view-types.ts';

export const RELIABILITY_DAYS = UPTIME_DAYS;

export interface ReliabilityView {
  site: SiteView;
  days: number;
  from: TimeView;
  to: TimeView;
  /** One row per severity, then the total. */
  severityRows: { label: string; name: string; incidents: number; medianTtr: string; resolved: number }[];
  falsePositives: number;
  medianTtr: string;
  components: { id: string; name: string; uptimeText: string }[];
  postmortems: PostmortemSummaryView[];
}

/** Null unless site.yaml sets `show_reliability: true`. */
export function buildReliabilityView(model: StatusModel, now: number, locale: Locale = 'en'): ReliabilityView | null {
  if (!model.site.showReliability) return null;
  const tz = model.site.timezone;
  const range = metricRange(RELIABILITY_DAYS, now);
  const inWindow = model.incidents.filter((i) => inRange(i, range));
  // A false alarm disrupted nobody: it is not counted here (nor in uptime), only said to exist.
  const real = inWindow.filter((i) => !i.falsePositive);
  const row = (label: string, name: string, of: typeof real): ReliabilityView['severityRows'][number] => {
    const ttr = summarize(of.map((i) => incidentDurations(i).ttr));
    return { label, name, incidents: of.length, medianTtr: ttr.median === null ? '—' : formatElapsed(ttr.median, locale), resolved: ttr.count };
  };
  const rows = [
    ...severities.map((s: Severity) => row(s, severityName(s, locale), real.filter((i) => i.severity === s))),
    row('All', translate(locale, 'reliability.allSeverities'), real),
  ];
  const uptimes = componentUptimes(model, dayWindows(now, tz, RELIABILITY_DAYS), now);
  return {
    site: siteView(model),
    days: RELIABILITY_DAYS,
    from: timeView(range.from, tz, locale),
    to: timeView(range.to, tz, locale),
    severityRows: rows,
    falsePositives: inWindow.length - real.length,
    medianTtr: rows[rows.length - 1]!.medianTtr,
    components: model.components.map((c) => ({ id: c.id, name: c.name, uptimeText: formatUptimeIn(uptimes.get(c.id)?.uptime ?? null, locale) })),
    postmortems: buildPostmortemList(model, now, locale).filter((p) => {
      const published = model.postmortemById.get(p.id)?.publishedAt ?? null;
      return published !== null && published >= range.from && published <= range.to;
    }),
  };
}
