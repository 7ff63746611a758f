// The per-incident figures behind /admin/metrics as CSV (RFC 4180), durations in minutes.
import { resolvedAt } from '../../../status/incident.ts';
import type { StatusModel } from '../../status-data/status-model.ts';
import { selectFigures, type MetricsQuery } from './metrics.view.ts';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const header = [
  'id', 'title', 'severity', 'started', 'detected', 'acknowledged', 'mitigated', 'resolved',
  'ttd_minutes', 'tta_minutes', 'ttm_minutes', 'ttr_minutes', 'response_target_minutes', 'response_breached',
  'false_positive', 'repeat_of', 'postmortem_published',
];

const isoOrEmpty = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());
/** Minutes with at most two decimals; empty when the metric is left out. */
const minutes = (ms: number | null): string => (ms === null ? '' : String(Math.round(ms / 600) / 100));

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ or tab gets a
 * ' so a spreadsheet never runs an incident title as a formula.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function metricsFilename(query: MetricsQuery): string {
  return `incident-metrics-${query.days}d-${query.severity}.csv`;
}

/** The incidents the query selects, newest detection first, one row each. */
export function metricsCsv(model: StatusModel, query: MetricsQuery, now: number): string {
  const { figures } = selectFigures(model, query, now);
  const lines = [header.join(',')];
  for (const f of figures) {
    const i = f.incident;
    lines.push([
      i.id, i.title, i.severity,
      isoOrEmpty(i.startedAt), isoOrEmpty(f.detected), isoOrEmpty(i.acknowledgedAt), isoOrEmpty(i.mitigatedAt), isoOrEmpty(resolvedAt(i)),
      minutes(f.durations.ttd), minutes(f.durations.tta), minutes(f.durations.ttm), minutes(f.durations.ttr),
      minutes(f.targetMs), String(f.breached), String(i.falsePositive), i.repeatOf ?? '', isoOrEmpty(f.postmortemPublishedAt),
    ].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
