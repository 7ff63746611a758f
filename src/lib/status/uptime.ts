import { compareComponentStatus } from './component-status.ts';
import { formatDayKey } from './format.ts';
import { formatDuration } from './time.ts';
import type { ComponentStatus } from './vocabulary.ts';

/**
 * Uptime per component and day (docs/decisions/003-uptime.md):
 *   uptime = 1 − (major_outage minutes + 0.3 × partial_outage minutes) / minutes of the day
 * Degraded performance counts 0; maintenance is not downtime. Today counts only its elapsed minutes.
 */
export const PARTIAL_OUTAGE_WEIGHT = 0.3;

export interface OutageInterval {
  start: number;
  end: number;
  status: ComponentStatus;
  incidentId: string | null;
}

export interface DayWindow {
  day: string;
  start: number;
  end: number;
}

export interface DayStat {
  day: string;
  /** null for a day with no elapsed minutes yet. */
  uptime: number | null;
  /** Worst status seen during the day. */
  worst: ComponentStatus;
  /** Time spent in that worst status. */
  worstMs: number;
  msByStatus: Partial<Record<ComponentStatus, number>>;
  incidentIds: string[];
  /** Milliseconds of the day counted (the whole day, or its elapsed part today). */
  windowMs: number;
  /** Weighted outage milliseconds (major + 0.3 × partial). */
  downMs: number;
}

/** The statistics of one day for one component, from its outage and maintenance intervals. */
export function dayStat(
  window: DayWindow,
  outages: readonly OutageInterval[],
  maintenance: readonly { start: number; end: number }[],
  now: number,
): DayStat {
  const from = window.start;
  const to = Math.min(window.end, now);
  const windowMs = Math.max(0, to - from);
  const msByStatus: Partial<Record<ComponentStatus, number>> = {};
  const incidentIds = new Set<string>();
  const clipped: OutageInterval[] = [];
  for (const o of outages) {
    const s = Math.max(o.start, from);
    const e = Math.min(o.end, to);
    if (e > s) {
      clipped.push({ ...o, start: s, end: e });
      if (o.incidentId) incidentIds.add(o.incidentId);
    }
  }
  const maint = maintenance
    .map((m) => ({ start: Math.max(m.start, from), end: Math.min(m.end, to) }))
    .filter((m) => m.end > m.start);
  // Sweep the elementary segments between all boundaries; each takes the worst status covering it.
  const cuts = new Set<number>([from, to]);
  for (const i of [...clipped, ...maint]) { cuts.add(i.start); cuts.add(i.end); }
  const points = [...cuts].sort((a, b) => a - b);
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    if (b <= a) continue;
    let status: ComponentStatus = 'operational';
    for (const o of clipped) if (o.start <= a && o.end >= b && compareComponentStatus(o.status, status) > 0) status = o.status;
    if (status === 'operational' && maint.some((m) => m.start <= a && m.end >= b)) status = 'under_maintenance';
    if (status !== 'operational') msByStatus[status] = (msByStatus[status] ?? 0) + (b - a);
  }
  const downMs = (msByStatus.major_outage ?? 0) + PARTIAL_OUTAGE_WEIGHT * (msByStatus.partial_outage ?? 0);
  let worst: ComponentStatus = 'operational';
  for (const s of Object.keys(msByStatus) as ComponentStatus[]) if (compareComponentStatus(s, worst) > 0) worst = s;
  return {
    day: window.day,
    uptime: windowMs > 0 ? 1 - downMs / windowMs : null,
    worst,
    worstMs: worst === 'operational' ? 0 : (msByStatus[worst] ?? 0),
    msByStatus,
    incidentIds: [...incidentIds],
    windowMs,
    downMs,
  };
}

/** Uptime over a whole window of days: weighted outage over all counted minutes; null when nothing elapsed. */
export function windowUptime(days: readonly DayStat[]): number | null {
  let total = 0;
  let down = 0;
  for (const d of days) { total += d.windowMs; down += d.downMs; }
  return total > 0 ? 1 - down / total : null;
}

const statusPhrases: Record<ComponentStatus, string> = {
  operational: 'operational',
  under_maintenance: 'under maintenance',
  degraded_performance: 'degraded performance',
  partial_outage: 'partial outage',
  major_outage: 'major outage',
};

/** The text alternative of a day's bar: "20 Nov 2026: partial outage for 1 h 13 min, 1 incident". */
export function describeDay(stat: DayStat): string {
  const date = formatDayKey(stat.day);
  if (stat.uptime === null) return `${date}: no data yet`;
  const n = stat.incidentIds.length;
  const incidents = n > 0 ? `, ${n} incident${n === 1 ? '' : 's'}` : '';
  if (stat.worst === 'operational') return `${date}: no downtime recorded${incidents}`;
  return `${date}: ${statusPhrases[stat.worst]} for ${formatDuration(stat.worstMs)}${incidents}`;
}

/** "99.95%": two decimals, never rounded up to 100% while there was any downtime. */
export function formatUptime(uptime: number | null): string {
  if (uptime === null) return '—';
  // The epsilon absorbs binary rounding (0.57 × 10000 = 5699.999…) without ever reaching 100% early.
  const pct = Math.floor(uptime * 10000 + 1e-7) / 100;
  return `${pct.toFixed(2)}%`;
}
