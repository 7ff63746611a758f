// Incident metrics for continuous improvement (runbook "Incident Metrics"): TTD, TTA, TTM, TTR,
// response-target breaches, the false-positive rate, post-mortem discipline and incidents per week.
import { detectedAt, resolvedAt } from './incident.ts';
import { POSTMORTEM_WINDOW_MS, responseClock } from './response-clock.ts';
import { addDays, dayKey, startOfDay } from './time.ts';
import type { Incident } from './types.ts';
import { severities, type Severity } from './vocabulary.ts';

const DAY = 86_400_000;

/** The windows the metrics page offers, in days. */
export const metricWindows = [30, 90, 365] as const;
export type MetricWindowDays = (typeof metricWindows)[number];

export const metricKinds = ['ttd', 'tta', 'ttm', 'ttr'] as const;
export type MetricKind = (typeof metricKinds)[number];

/** The definitions, written once and shown on the page as they are applied here. */
export const metricDefinitions: Record<MetricKind, { abbr: string; name: string; formula: string }> = {
  ttd: { abbr: 'TTD', name: 'Time to detection', formula: 'detected − started' },
  tta: { abbr: 'TTA', name: 'Time to acknowledgement', formula: 'acknowledged − detected' },
  ttm: { abbr: 'TTM', name: 'Time to mitigation', formula: 'mitigated − detected' },
  ttr: { abbr: 'TTR', name: 'Time to resolution', formula: 'resolved − detected' },
};

/** A closed interval of instants, both ends included. */
export interface TimeRange {
  from: number;
  to: number;
}

/** The last `days` × 24 hours up to now: [now − days, now]. */
export function metricRange(days: number, now: number): TimeRange {
  return { from: now - days * DAY, to: now };
}

/**
 * An incident belongs to a window when it was detected inside it (both ends included), whenever it
 * started or ended: one that started before the window but was detected inside is in; one detected
 * before the window and resolved inside is out. Detection without `detected` is the first update.
 */
export function inRange(incident: Incident, range: TimeRange): boolean {
  const d = detectedAt(incident);
  return d !== null && d >= range.from && d <= range.to;
}

export type IncidentDurations = Record<MetricKind, number | null>;

/**
 * The four durations of one incident in ms; null when a timestamp is missing (started, acknowledged,
 * mitigated are taken only as written; detected falls back to the first update; TTR needs a resolution).
 * A timestamp earlier than detection counts as zero rather than negative.
 */
export function incidentDurations(incident: Incident): IncidentDurations {
  const detected = detectedAt(incident);
  const between = (from: number | null, to: number | null): number | null =>
    from === null || to === null ? null : Math.max(0, to - from);
  return {
    ttd: between(incident.startedAt, detected),
    tta: between(detected, incident.acknowledgedAt),
    ttm: between(detected, incident.mitigatedAt),
    ttr: between(detected, resolvedAt(incident)),
  };
}

/**
 * Nearest-rank percentile: the value at rank ⌈p × n / 100⌉ of the values sorted ascending, so every
 * figure is one incident's real value (the median of an even count is the lower middle one); null for none.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p * sorted.length) / 100)));
  return sorted[rank - 1]!;
}

export interface MetricSummary {
  /** Incidents behind the figures. */
  count: number;
  /** Incidents left out for a missing timestamp. */
  leftOut: number;
  median: number | null;
  p90: number | null;
}

/** Median and 90th percentile of the present values; absent ones (null) are counted as left out. */
export function summarize(values: readonly (number | null)[]): MetricSummary {
  const present = values.filter((v): v is number => v !== null);
  return {
    count: present.length,
    leftOut: values.length - present.length,
    median: percentile(present, 50),
    p90: percentile(present, 90),
  };
}

export interface MetricRow {
  severity: Severity | 'all';
  incidents: number;
  metrics: Record<MetricKind, MetricSummary>;
}

function metricRow(severity: MetricRow['severity'], incidents: readonly Incident[]): MetricRow {
  const durations = incidents.map(incidentDurations);
  const metrics = Object.fromEntries(
    metricKinds.map((k) => [k, summarize(durations.map((d) => d[k]))]),
  ) as Record<MetricKind, MetricSummary>;
  return { severity, incidents: incidents.length, metrics };
}

/** One row per severity (P0 … P3, each even when empty) and a last row over all of them. */
export function metricsBySeverity(incidents: readonly Incident[]): MetricRow[] {
  return [
    ...severities.map((s) => metricRow(s, incidents.filter((i) => i.severity === s))),
    metricRow('all', incidents),
  ];
}

/**
 * Acknowledged later than the severity's response target, or not acknowledged while the target has
 * passed (by resolution, or by now while open). Exactly on the target is in time (see responseClock).
 */
export function isResponseBreached(incident: Incident, now: number): boolean {
  return responseClock(incident, now).breached;
}

export interface BreachRow {
  severity: Severity;
  incidents: number;
  breached: number;
}

/** Response-target breaches per severity. */
export function breachesBySeverity(incidents: readonly Incident[], now: number): BreachRow[] {
  return severities.map((severity) => {
    const of = incidents.filter((i) => i.severity === severity);
    return { severity, incidents: of.length, breached: of.filter((i) => isResponseBreached(i, now)).length };
  });
}

export interface Rate {
  count: number;
  total: number;
  /** count / total; null when there is nothing to divide by. */
  rate: number | null;
}

/** Incidents marked false positive / all the incidents given. */
export function falsePositiveRate(incidents: readonly Incident[]): Rate {
  const count = incidents.filter((i) => i.falsePositive).length;
  return { count, total: incidents.length, rate: incidents.length === 0 ? null : count / incidents.length };
}

export interface PostmortemDiscipline extends Rate {
  /** Published more than 48 h after resolution, or not published and the 48 h have passed. */
  late: number;
  /** Resolved less than 48 h ago and not yet published: not due, so not counted. */
  pending: number;
}

/**
 * Share of resolved P0/P1 incidents (false positives excepted: nothing to explain) whose post-mortem
 * was published within 48 hours of resolution, exactly 48 h included. `publishedAt` maps an incident id
 * to its first published post-mortem.
 */
export function postmortemDiscipline(
  incidents: readonly Incident[],
  publishedAt: ReadonlyMap<string, number>,
  now: number,
): PostmortemDiscipline {
  let onTime = 0;
  let late = 0;
  let pending = 0;
  for (const incident of incidents) {
    if ((incident.severity !== 'P0' && incident.severity !== 'P1') || incident.falsePositive) continue;
    const resolved = resolvedAt(incident);
    if (resolved === null) continue;
    const dueAt = resolved + POSTMORTEM_WINDOW_MS;
    const published = publishedAt.get(incident.id);
    if (published !== undefined && published <= dueAt) onTime++;
    else if (published !== undefined || now > dueAt) late++;
    else pending++;
  }
  const total = onTime + late;
  return { count: onTime, total, rate: total === 0 ? null : onTime / total, late, pending };
}

/** The Monday (YYYY-MM-DD) of the week the instant falls in, in the zone: weeks run Monday to Sunday. */
export function weekKey(instant: number, timeZone: string): string {
  const day = dayKey(instant, timeZone);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

export interface WeekBucket {
  /** The Monday that starts the week, in the zone. */
  week: string;
  /** The instant local midnight starts that Monday. */
  start: number;
  counts: Record<Severity, number>;
  total: number;
}

/** Incidents per week by severity, every week that overlaps the range (empty ones too), oldest first. */
export function weeklyCounts(incidents: readonly Incident[], range: TimeRange, timeZone: string): WeekBucket[] {
  const buckets = new Map<string, WeekBucket>();
  const last = weekKey(range.to, timeZone);
  for (let week = weekKey(range.from, timeZone); week <= last; week = addDays(week, 7)) {
    buckets.set(week, { week, start: startOfDay(week, timeZone), counts: { P0: 0, P1: 0, P2: 0, P3: 0 }, total: 0 });
  }
  for (const incident of incidents) {
    if (!inRange(incident, range)) continue;
    const bucket = buckets.get(weekKey(detectedAt(incident)!, timeZone));
    if (!bucket) continue;
    bucket.counts[incident.severity]++;
    bucket.total++;
  }
  return [...buckets.values()];
}
