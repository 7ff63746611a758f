// /admin/metrics and its CSV: the runbook's incident metrics over a window, per severity, with charts.
import { z } from 'astro/zod';
import { detectedAt } from '../../../status/incident.ts';
import {
  breachesBySeverity, falsePositiveRate, incidentDurations, inRange, isResponseBreached, metricDefinitions, metricKinds,
  metricRange, metricsBySeverity, metricWindows, postmortemDiscipline, weeklyCounts,
  type IncidentDurations, type MetricSummary, type MetricWindowDays, type Rate, type TimeRange,
} from '../../../status/metrics.ts';
import { repeatChains, SIMILARITY_THRESHOLD, suggestRepeats } from '../../../status/repeats.ts';
import { responseTargetMs } from '../../../status/response-clock.ts';
import { formatDuration } from '../../../status/time.ts';
import type { Incident } from '../../../status/types.ts';
import { severities, type Severity } from '../../../status/vocabulary.ts';
import type { StatusModel } from '../../status-data/status-model.ts';
import { timeView } from '../present.ts';
import type { TimeView } from '../view-types.ts';
import { adminIncidentHref } from './dashboard.view.ts';
import { breachChart, ttrChart, weeklyChart, type ChartView } from './metrics-charts.ts';

export const metricsQuerySchema = z.object({
  window: z.enum(metricWindows.map(String) as ['30', '90', '365']).default('90'),
  severity: z.enum(['all', ...severities]).default('all'),
});

export interface MetricsQuery {
  days: MetricWindowDays;
  severity: Severity | 'all';
}

/** ?window=30|90|365&severity=all|P0…P3 (both optional); null when either is something else. */
export function parseMetricsQuery(params: URLSearchParams): MetricsQuery | null {
  const r = metricsQuerySchema.safeParse({
    window: params.get('window') || undefined,
    severity: params.get('severity') || undefined,
  });
  return r.success ? { days: Number(r.data.window) as MetricWindowDays, severity: r.data.severity } : null;
}

/** One incident's figures, shared by the page's table and the CSV. */
export interface IncidentFigures {
  incident: Incident;
  detected: number;
  durations: IncidentDurations;
  targetMs: number;
  breached: boolean;
  postmortemPublishedAt: number | null;
}

/** When each incident's first post-mortem was published. */
function firstPublished(model: StatusModel): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of model.postmortems) {
    if (p.publishedAt === null) continue;
    const seen = out.get(p.incidentId);
    if (seen === undefined || p.publishedAt < seen) out.set(p.incidentId, p.publishedAt);
  }
  return out;
}

/** The incidents the query selects, newest detection first, with their figures. */
export function selectFigures(model: StatusModel, query: MetricsQuery, now: number): { range: TimeRange; figures: IncidentFigures[]; published: Map<string, number> } {
  const range = metricRange(query.days, now);
  const published = firstPublished(model);
  const figures = model.incidents
    .filter((i) => inRange(i, range) && (query.severity === 'all' || i.severity === query.severity))
    .map((incident) => ({
      incident,
      detected: detectedAt(incident)!,
      durations: incidentDurations(incident),
      targetMs: responseTargetMs(incident.severity),
      breached: isResponseBreached(incident, now),
      postmortemPublishedAt: published.get(incident.id) ?? null,
    }))
    .sort((a, b) => b.detected - a.detected || a.incident.id.localeCompare(b.incident.id));
  return { range, figures, published };
}

export interface MetricsView {
  query: MetricsQuery;
  windowOptions: { value: string; label: string; selected: boolean }[];
  severityOptions: { value: string; label: string; selected: boolean }[];
  from: TimeView;
  to: TimeView;
  timeZone: string;
  definitions: { term: string; text: string }[];
  stats: { label: string; value: string; detail: string }[];
  metricHeads: { abbr: string; name: string }[];
  summaryRows: { label: string; incidents: number; cells: (MetricSummaryView & { abbr: string })[] }[];
  charts: ChartView[];
  rows: IncidentRowView[];
  chains: { id: string; href: string; title: string; detected: TimeView }[][];
  suggestions: { earlier: { id: string; href: string; title: string }; later: { id: string; href: string; title: string }; why: string; confirmable: boolean }[];
  csvHref: string;
}

export interface MetricSummaryView {
  median: string;
  p90: string;
  count: number;
  leftOut: number;
}

export interface IncidentRowView {
  id: string;
  href: string;
  title: string;
  severity: Severity;
  detected: TimeView;
  figures: string[];
  target: string;
  breached: boolean;
  falsePositive: boolean;
  repeatOf: { href: string; id: string } | null;
  postmortem: string;
}

const dur = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms));
const percent = (rate: number | null): string => (rate === null ? '—' : `${Number((rate * 100).toFixed(1))}%`);
const summaryView = (s: MetricSummary): MetricSummaryView => ({ median: dur(s.median), p90: dur(s.p90), count: s.count, leftOut: s.leftOut });
const ofRate = (r: Rate, what: string): string => `${r.count} of ${r.total} ${what}`;

/** The written rules, shown on the page exactly as they are applied. */
function definitions(days: number): MetricsView['definitions'] {
  return [
    ...metricKinds.map((k) => ({
      term: `${metricDefinitions[k].abbr} (${metricDefinitions[k].name.toLowerCase()})`,
      text: `${metricDefinitions[k].formula}. An incident missing either time is left out of this metric only, and counted as left out.`,
    })),
    { term: 'Times used', text: 'started, acknowledged and mitigated only as written on the incident; detected as written, else its first update; resolved at the first update of its final run of resolved updates. A time earlier than detection counts as zero.' },
    { term: 'Window', text: `an incident belongs to the last ${days} days when it was detected between now − ${days} × 24 hours and now, both included, whenever it started or ended: one detected before the window and resolved inside it is not counted.` },
    { term: 'Median and 90th percentile', text: 'nearest rank: sort the values and take the one at rank ⌈p × n ∕ 100⌉, so each figure is a real incident\'s value; with an even count the median is the lower of the two middle values.' },
    { term: 'Response-target breach', text: 'acknowledged later than the severity\'s target (P0 15 min, P1 1 h, P2 4 h, P3 24 h), or not acknowledged while the target has passed (by resolution, or by now while open). Exactly on the target is in time.' },
    { term: 'False-positive rate', text: 'incidents marked false positive ∕ all incidents in the window. False positives are otherwise counted like any incident.' },
    { term: 'Repeat incidents', text: `incidents with repeat of set, and the chains those links form. Suggested repeats: an earlier incident sharing an affected component, detected at most 30 days before, whose title shares at least ${SIMILARITY_THRESHOLD * 100}% of its words (token Jaccard after lowercasing and dropping stop words), and not already in the same chain.` },
    { term: 'Post-mortem discipline', text: 'share of resolved P0/P1 incidents (false positives excepted) whose post-mortem was published within 48 hours of resolution. Incidents resolved less than 48 hours ago without one are pending and not counted.' },
    { term: 'Weeks', text: 'Monday to Sunday in the site\'s time zone.' },
  ];
}

export function buildMetricsView(model: StatusModel, query: MetricsQuery, now: number): MetricsView {
  const tz = model.site.timezone;
  const { range, figures, published } = selectFigures(model, query, now);
  const incidents = figures.map((f) => f.incident);
  const selected = new Set(incidents);
  const shown = query.severity === 'all' ? [...severities] : [query.severity];
  const byId = (id: string): { href: string; title: string } => ({ href: adminIncidentHref(id), title: model.incidentById.get(id)?.title ?? id });

  const rows = metricsBySeverity(incidents).filter((r) => r.severity === 'all' ? query.severity === 'all' : shown.includes(r.severity));
  const fp = falsePositiveRate(incidents);
  const breaches = breachesBySeverity(incidents, now).filter((r) => shown.includes(r.severity));
  const breachedTotal = breaches.reduce((n, r) => n + r.breached, 0);
  const pm = postmortemDiscipline(incidents, published, now);
  const chains = repeatChains(model.incidents).filter((c) => c.some((i) => selected.has(i)));
  const suggestions = suggestRepeats(model.incidents, range).filter((s) => selected.has(s.later));
  const repeats = incidents.filter((i) => i.repeatOf !== null && model.incidentById.has(i.repeatOf)).length;
  const ttrPoints = figures
    .filter((f) => f.durations.ttr !== null)
    .map((f) => ({ id: f.incident.id, title: f.incident.title, severity: f.incident.severity, detected: f.detected, detectedText: timeView(f.detected, tz).text, ttrMs: f.durations.ttr! }))
    .reverse();

  const params = new URLSearchParams({ window: String(query.days), severity: query.severity });
  return {
    query,
    windowOptions: metricWindows.map((d) => ({ value: String(d), label: `Last ${d} days`, selected: d === query.days })),
    severityOptions: (['all', ...severities] as const).map((s) => ({ value: s, label: s === 'all' ? 'All severities' : s, selected: s === query.severity })),
    from: timeView(range.from, tz),
    to: timeView(range.to, tz),
    timeZone: tz,
    definitions: definitions(query.days),
    stats: [
      { label: 'Incidents', value: String(incidents.length), detail: `detected in the last ${query.days} days` },
      { label: 'False-positive rate', value: percent(fp.rate), detail: ofRate(fp, 'incidents') },
      { label: 'Response-target breaches', value: String(breachedTotal), detail: `of ${incidents.length} incidents` },
      { label: 'Post-mortem discipline', value: percent(pm.rate), detail: `${ofRate(pm, 'resolved P0/P1 published within 48 h')}; ${pm.pending} pending` },
      { label: 'Repeat incidents', value: String(repeats), detail: `${chains.length} chain${chains.length === 1 ? '' : 's'}; ${suggestions.length} suggested` },
    ],
    metricHeads: metricKinds.map((k) => ({ abbr: metricDefinitions[k].abbr, name: metricDefinitions[k].name })),
    summaryRows: rows.map((r) => ({
      label: r.severity === 'all' ? 'All' : r.severity,
      incidents: r.incidents,
      cells: metricKinds.map((k) => ({ abbr: metricDefinitions[k].abbr, ...summaryView(r.metrics[k]) })),
    })),
    charts: [
      ttrChart(ttrPoints, range, shown, tz),
      weeklyChart(weeklyCounts(incidents, range, tz), shown),
      breachChart(breaches),
    ],
    rows: figures.map((f) => ({
      id: f.incident.id,
      href: adminIncidentHref(f.incident.id),
      title: f.incident.title,
      severity: f.incident.severity,
      detected: timeView(f.detected, tz),
      figures: metricKinds.map((k) => dur(f.durations[k])),
      target: formatDuration(f.targetMs),
      breached: f.breached,
      falsePositive: f.incident.falsePositive,
      repeatOf: f.incident.repeatOf && model.incidentById.has(f.incident.repeatOf)
        ? { href: adminIncidentHref(f.incident.repeatOf), id: f.incident.repeatOf } : null,
      postmortem: f.postmortemPublishedAt === null ? '—' : timeView(f.postmortemPublishedAt, tz).text,
    })),
    chains: chains.map((c) => c.map((i) => ({ id: i.id, ...byId(i.id), detected: timeView(detectedAt(i) ?? 0, tz) }))),
    suggestions: suggestions.map((s) => ({
      earlier: { id: s.earlier.id, ...byId(s.earlier.id) },
      later: { id: s.later.id, ...byId(s.later.id) },
      // File incidents say repeat_of in their frontmatter; only admin ones can be confirmed here.
      confirmable: s.later.source === 'admin',
      why: `${s.components.map((c) => model.componentById.get(c)?.name ?? c).join(', ')}; titles ${Math.round(s.similarity * 100)}% alike; ${formatDuration(s.apartMs)} apart`,
    })),
    csvHref: `/admin/metrics.csv?${params}`,
  };
}
