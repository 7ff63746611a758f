// Per-component 90-day uptime from the read model: the intervals each incident and maintenance imposed.
import { incidentIntervals } from '../../status/incident.ts';
import { maintenanceInterval } from '../../status/maintenance.ts';
import { addDays, dayBounds, dayKey } from '../../status/time.ts';
import { dayStat, windowUptime, type DayStat, type DayWindow, type OutageInterval } from '../../status/uptime.ts';
import { worstStatus } from '../../status/component-status.ts';
import { formatDayKey, formatElapsed, formatUptimeIn } from '../../status/format.ts';
import type { ComponentStatus } from '../../status/vocabulary.ts';
import type { Locale } from '../../i18n/locales.ts';
import { translate } from '../../i18n/translate.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { statusLabel } from './present.ts';
import type { UptimeDayView, UptimeOutageView } from './view-types.ts';

export const UPTIME_DAYS = 90;

/** The last `count` days ending today, oldest first, in the zone. */
const windowsCache = new Map<string, DayWindow[]>();

export function dayWindows(now: number, timeZone: string, count: number = UPTIME_DAYS): DayWindow[] {
  const today = dayKey(now, timeZone);
  // The windows only change when the day does; computing them costs hundreds of Intl calls.
  const cacheKey = `${today}|${timeZone}|${count}`;
  const hit = windowsCache.get(cacheKey);
  if (hit) return hit;
  const out: DayWindow[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const day = addDays(today, -i);
    out.push({ day, ...dayBounds(day, timeZone) });
  }
  if (windowsCache.size > 16) windowsCache.clear();
  windowsCache.set(cacheKey, out);
  return out;
}

export interface ComponentUptime {
  days: DayStat[];
  uptime: number | null;
}

/** Uptime of every component over the window, computed in one pass over incidents and maintenance. */
export function componentUptimes(model: StatusModel, windows: readonly DayWindow[], now: number): Map<string, ComponentUptime> {
  const from = windows[0]?.start ?? now;
  const outages = new Map<string, OutageInterval[]>();
  const maint = new Map<string, { start: number; end: number }[]>();
  for (const incident of model.recentIncidents) {
    for (const iv of incidentIntervals(incident, now)) {
      if (iv.end <= from) continue;
      const list = outages.get(iv.componentId) ?? [];
      list.push({ start: iv.start, end: iv.end, status: iv.status, incidentId: incident.id });
      outages.set(iv.componentId, list);
    }
  }
  for (const m of model.maintenance) {
    const iv = maintenanceInterval(m);
    if (iv.end <= from || iv.start > now) continue;
    for (const c of m.components) {
      const list = maint.get(c) ?? [];
      list.push(iv);
      maint.set(c, list);
    }
  }
  const out = new Map<string, ComponentUptime>();
  for (const c of model.components) {
    const o = outages.get(c.id) ?? [];
    const mm = maint.get(c.id) ?? [];
    const days = windows.map((w) => dayStat(w, o, mm, now));
    out.set(c.id, { days, uptime: windowUptime(days) });
  }
  return out;
}

const outageKinds = [
  ['major_outage', 'major'],
  ['partial_outage', 'partial'],
  ['degraded_performance', 'degraded'],
  ['under_maintenance', 'maintenance'],
] as const satisfies readonly (readonly [ComponentStatus, UptimeOutageView['level']])[];

const levelOf: Record<ComponentStatus, UptimeDayView['level']> = {
  operational: 'ok',
  under_maintenance: 'maintenance',
  degraded_performance: 'degraded',
  partial_outage: 'partial',
  major_outage: 'major',
};

/** One component's day as the tooltip tells it: date, uptime, minutes of each outage kind, the incidents by name. */
export function uptimeDayTip(model: StatusModel, stat: DayStat, locale: Locale = 'en'): UptimeDayView {
  const date = formatDayKey(stat.day, locale);
  const outages: UptimeOutageView[] = outageKinds
    .filter(([status]) => (stat.msByStatus[status] ?? 0) > 0)
    .map(([status, level]) => ({ level, label: statusLabel(status, locale), durationText: formatElapsed(stat.msByStatus[status]!, locale) }));
  const incidents = stat.incidentIds
    .map((id) => model.incidentById.get(id))
    .filter((i) => i !== undefined)
    .map((i) => ({ id: i.id, href: `/incidents/${encodeURIComponent(i.id)}`, title: i.title }));
  const uptimeText = stat.uptime === null ? translate(locale, 'uptime.noData') : translate(locale, 'uptime.dayUptime', { pct: formatUptimeIn(stat.uptime, locale) });
  const summary = stat.uptime === null || outages.length === 0
    ? uptimeText
    : outages.map((o) => `${o.label} ${o.durationText}`).join(', ');
  return {
    day: stat.day,
    level: stat.uptime === null ? 'nodata' : levelOf[stat.worst],
    text: `${date}: ${summary}`,
    eventful: stat.worst !== 'operational' || stat.incidentIds.length > 0,
    date,
    uptimeText,
    worstLabel: statusLabel(stat.worst, locale),
    outages,
    incidents,
  };
}

export interface GroupUptime {
  days: UptimeDayView[];
  uptime: number | null;
}

/** A group's bar: each day the worst status of its components; uptime is the mean of theirs (day and window). */
export function groupUptime(model: StatusModel, members: readonly ComponentUptime[], locale: Locale = 'en'): GroupUptime {
  const count = members[0]?.days.length ?? 0;
  const mean = (values: (number | null)[]): number | null => {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
  };
  const days: UptimeDayView[] = [];
  for (let k = 0; k < count; k++) {
    const stats = members.map((m) => m.days[k]!);
    const worst = worstStatus(stats.filter((s) => s.uptime !== null).map((s) => s.worst));
    const uptime = mean(stats.map((s) => s.uptime));
    const ids = [...new Set(stats.flatMap((s) => s.incidentIds))];
    const date = formatDayKey(stats[0]!.day, locale);
    const uptimeText = uptime === null ? translate(locale, 'uptime.noData') : translate(locale, 'uptime.dayUptime', { pct: formatUptimeIn(uptime, locale) });
    days.push({
      day: stats[0]!.day,
      level: uptime === null ? 'nodata' : levelOf[worst],
      text: `${date}: ${worst === 'operational' ? uptimeText : statusLabel(worst, locale)}`,
      eventful: worst !== 'operational' || ids.length > 0,
      date,
      uptimeText,
      worstLabel: statusLabel(worst, locale),
      outages: [],
      incidents: ids.map((id) => model.incidentById.get(id)).filter((i) => i !== undefined)
        .map((i) => ({ id: i.id, href: `/incidents/${encodeURIComponent(i.id)}`, title: i.title })),
    });
  }
  return { days, uptime: mean(members.map((m) => m.uptime)) };
}
