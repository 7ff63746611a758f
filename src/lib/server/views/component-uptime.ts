// Per-component 90-day uptime from the read model: the intervals each incident and maintenance imposed.
import { incidentIntervals } from '../../status/incident.ts';
import { maintenanceInterval } from '../../status/maintenance.ts';
import { addDays, dayBounds, dayKey } from '../../status/time.ts';
import { dayStat, windowUptime, type DayStat, type DayWindow, type OutageInterval } from '../../status/uptime.ts';
import type { StatusModel } from '../status-data/status-model.ts';

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
