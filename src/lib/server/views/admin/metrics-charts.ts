// The metrics page's charts as plain SVG geometry with their text alternatives; SvgChart.astro draws them.
import { formatDayKey } from '../../../status/format.ts';
import type { BreachRow, TimeRange, WeekBucket } from '../../../status/metrics.ts';
import { responseTargetMs } from '../../../status/response-clock.ts';
import { dayKey, formatDuration } from '../../../status/time.ts';
import type { Severity } from '../../../status/vocabulary.ts';

export interface ChartView {
  id: string;
  title: string;
  /** A sentence a screen reader reads for the picture; the table holds every number. */
  desc: string;
  width: number;
  height: number;
  rects: { x: number; y: number; width: number; height: number; className: string; label: string }[];
  circles: { cx: number; cy: number; r: number; className: string; label: string }[];
  lines: { x1: number; y1: number; x2: number; y2: number; className: string }[];
  texts: { x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end'; className: string }[];
  legend: { className: string; label: string }[];
  table: { caption: string; head: string[]; rows: string[][] };
}

export interface TtrPoint {
  id: string;
  title: string;
  severity: Severity;
  detected: number;
  detectedText: string;
  ttrMs: number;
}

const W = 720;
const H = 260;
const M = { top: 16, right: 110, bottom: 34, left: 64 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;
const MIN = 60_000;
const round = (n: number): number => Math.round(n * 10) / 10;
const shortDay = (instant: number, tz: string): string => formatDayKey(dayKey(instant, tz)).replace(/ \d{4}$/, '');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function frame(id: string, title: string, desc: string, table: ChartView['table']): ChartView {
  return { id, title, desc, width: W, height: H, rects: [], circles: [], lines: [], texts: [], legend: [], table };
}

/** Log-scale y ticks for durations; the response targets are among them. */
const durationTicks = [1, 15, 60, 240, 1440, 7 * 1440, 30 * 1440, 365 * 1440].map((m) => m * MIN);

/** TTR of each resolved incident against its detection time, on a log scale, with the response targets as dashed lines. */
export function ttrChart(points: readonly TtrPoint[], range: TimeRange, severities: readonly Severity[], tz: string): ChartView {
  const chart = frame(
    'chart-ttr',
    'Time to resolution per incident',
    points.length === 0
      ? 'No resolved incidents in the window.'
      : `${plural(points.length, 'resolved incident')} plotted by detection time against time to resolution on a logarithmic scale, from ${formatDuration(Math.min(...points.map((p) => p.ttrMs)))} to ${formatDuration(Math.max(...points.map((p) => p.ttrMs)))}. Dashed lines mark each severity's response target (${severities.map((s) => `${s} ${formatDuration(responseTargetMs(s))}`).join(', ')}): the runbook sets no resolution target.`,
    {
      caption: 'Time to resolution per incident',
      head: ['Incident', 'Severity', 'Detected', 'TTR', 'Response target'],
      rows: points.map((p) => [p.title, p.severity, p.detectedText, formatDuration(p.ttrMs), formatDuration(responseTargetMs(p.severity))]),
    },
  );
  const largest = Math.max(...points.map((p) => p.ttrMs), ...severities.map(responseTargetMs), MIN);
  const top = durationTicks.find((t) => t >= largest) ?? largest;
  const y = (ms: number): number => round(M.top + PLOT_H * (1 - Math.log(Math.max(ms, MIN) / MIN) / Math.log(top / MIN)));
  const x = (t: number): number => round(M.left + (PLOT_W * (t - range.from)) / Math.max(1, range.to - range.from));
  for (const t of durationTicks.filter((t) => t <= top)) {
    chart.lines.push({ x1: M.left, y1: y(t), x2: M.left + PLOT_W, y2: y(t), className: 'grid' });
    chart.texts.push({ x: M.left - 6, y: y(t) + 4, text: formatDuration(t), anchor: 'end', className: 'axis' });
  }
  for (const s of severities) {
    const ty = y(responseTargetMs(s));
    chart.lines.push({ x1: M.left, y1: ty, x2: M.left + PLOT_W, y2: ty, className: `target sev-${s}` });
    chart.texts.push({ x: M.left + PLOT_W + 6, y: ty + 4, text: `${s} target`, anchor: 'start', className: 'axis' });
  }
  xAxis(chart, range, tz);
  for (const p of points) {
    chart.circles.push({
      cx: x(p.detected), cy: y(p.ttrMs), r: 5, className: `dot sev-${p.severity}`,
      label: `${p.title} (${p.severity}), detected ${p.detectedText}: resolved in ${formatDuration(p.ttrMs)}`,
    });
  }
  chart.legend = severities.map((s) => ({ className: `sev-${s}`, label: s }));
  return chart;
}

function xAxis(chart: ChartView, range: TimeRange, tz: string): void {
  chart.lines.push({ x1: M.left, y1: M.top + PLOT_H, x2: M.left + PLOT_W, y2: M.top + PLOT_H, className: 'axis-line' });
  for (let i = 0; i <= 4; i++) {
    const t = range.from + ((range.to - range.from) * i) / 4;
    chart.texts.push({ x: round(M.left + (PLOT_W * i) / 4), y: H - 12, text: shortDay(t, tz), anchor: 'middle', className: 'axis' });
  }
}

/** Incidents detected per week (Monday to Sunday in the site's zone), stacked by severity. */
export function weeklyChart(weeks: readonly WeekBucket[], severities: readonly Severity[]): ChartView {
  const total = weeks.reduce((n, w) => n + w.total, 0);
  const busiest = weeks.reduce<WeekBucket | null>((b, w) => (b === null || w.total > b.total ? w : b), null);
  const chart = frame(
    'chart-weekly',
    'Incidents per week by severity',
    total === 0
      ? `No incidents in the ${plural(weeks.length, 'week')} shown.`
      : `${plural(total, 'incident')} over ${plural(weeks.length, 'week')}; the busiest week, starting ${formatDayKey(busiest!.week)}, had ${busiest!.total}.`,
    {
      caption: 'Incidents per week by severity (weeks start on Monday)',
      head: ['Week of', ...severities, 'Total'],
      rows: weeks.map((w) => [formatDayKey(w.week), ...severities.map((s) => String(w.counts[s])), String(w.total)]),
    },
  );
  const max = Math.max(1, ...weeks.map((w) => w.total));
  const y = (n: number): number => round(M.top + PLOT_H * (1 - n / max));
  for (const n of [...new Set([0, Math.round(max / 2), max])]) {
    chart.lines.push({ x1: M.left, y1: y(n), x2: M.left + PLOT_W, y2: y(n), className: n === 0 ? 'axis-line' : 'grid' });
    chart.texts.push({ x: M.left - 6, y: y(n) + 4, text: String(n), anchor: 'end', className: 'axis' });
  }
  const slot = PLOT_W / Math.max(1, weeks.length);
  const every = Math.ceil(weeks.length / 8);
  weeks.forEach((w, i) => {
    const x = round(M.left + slot * i + slot * 0.15);
    let stacked = 0;
    for (const s of severities) {
      const n = w.counts[s];
      if (n === 0) continue;
      chart.rects.push({
        x, y: y(stacked + n), width: round(slot * 0.7), height: round(y(stacked) - y(stacked + n)), className: `bar sev-${s}`,
        label: `Week of ${formatDayKey(w.week)}: ${n} ${s}`,
      });
      stacked += n;
    }
    if (i % every === 0) {
      chart.texts.push({ x: round(M.left + slot * (i + 0.5)), y: H - 12, text: formatDayKey(w.week).replace(/ \d{4}$/, ''), anchor: 'middle', className: 'axis' });
    }
  });
  chart.legend = severities.map((s) => ({ className: `sev-${s}`, label: s }));
  return chart;
}

/** Per severity: incidents acknowledged within the response target and those that breached it. */
export function breachChart(rows: readonly BreachRow[]): ChartView {
  const incidents = rows.reduce((n, r) => n + r.incidents, 0);
  const breached = rows.reduce((n, r) => n + r.breached, 0);
  const chart = frame(
    'chart-breaches',
    'Response-target breaches by severity',
    `${breached} of ${plural(incidents, 'incident')} breached the response target: ${rows.map((r) => `${r.severity} ${r.breached} of ${r.incidents}`).join(', ')}.`,
    {
      caption: 'Response-target breaches by severity',
      head: ['Severity', 'Response target', 'Incidents', 'Breached', 'In time'],
      rows: rows.map((r) => [r.severity, formatDuration(responseTargetMs(r.severity)), String(r.incidents), String(r.breached), String(r.incidents - r.breached)]),
    },
  );
  chart.height = M.top + rows.length * 40 + 8;
  const max = Math.max(1, ...rows.map((r) => r.incidents));
  const scale = (n: number): number => round(((PLOT_W - 40) * n) / max);
  rows.forEach((r, i) => {
    const top = M.top + i * 40;
    chart.texts.push({ x: M.left - 8, y: top + 18, text: r.severity, anchor: 'end', className: 'axis' });
    const inTime = r.incidents - r.breached;
    if (inTime > 0) chart.rects.push({ x: M.left, y: top, width: scale(inTime), height: 26, className: 'bar in-time', label: `${r.severity}: ${inTime} in time` });
    if (r.breached > 0) chart.rects.push({ x: round(M.left + scale(inTime)), y: top, width: scale(r.breached), height: 26, className: 'bar breached', label: `${r.severity}: ${r.breached} breached` });
    chart.texts.push({ x: round(M.left + scale(r.incidents) + 8), y: top + 18, text: `${r.breached} of ${r.incidents} breached`, anchor: 'start', className: 'axis' });
  });
  chart.legend = [{ className: 'in-time', label: 'In time' }, { className: 'breached', label: 'Breached' }];
  return chart;
}
