// When an incident began and was resolved as of one of its updates, and times said relative to that update.
import { formatDayKey, formatTime } from './format.ts';
import { dayKey } from './time.ts';
import type { Incident, IncidentUpdate } from './types.ts';

/** When impact began: `started`, else `detected`, else the first update (else the given update). */
export function incidentStart(incident: Pick<Incident, 'updates'> & Partial<Pick<Incident, 'startedAt' | 'detectedAt'>>, update: IncidentUpdate): number {
  const first = incident.updates.reduce<number>((min, u) => Math.min(min, u.at), update.at);
  return Math.min(incident.startedAt ?? incident.detectedAt ?? first, update.at);
}

/**
 * When a resolved update's resolution happened: the earliest of the resolved updates posted since the last
 * unresolved one (a second "resolved" note does not move the time the incident ended).
 */
export function resolvedAsOf(updates: readonly IncidentUpdate[], update: IncidentUpdate): number {
  const before = updates.filter((u) => u.id !== update.id && u.at <= update.at).sort((a, b) => b.at - a.at);
  let at = update.at;
  for (const u of before) {
    if (u.status !== 'resolved') break;
    at = u.at;
  }
  return at;
}

/** "10:20 GMT", with " on 21 Nov 2026" when the instant falls on another day (in the zone) than `reference`. */
export function timeBeside(instant: number, timeZone: string, reference: number): string {
  const day = dayKey(instant, timeZone);
  return day === dayKey(reference, timeZone) ? formatTime(instant, timeZone) : `${formatTime(instant, timeZone)} on ${formatDayKey(day)}`;
}

/** "10:05 GMT on 20 Nov 2026" */
export function timeAndDay(instant: number, timeZone: string): string {
  return `${formatTime(instant, timeZone)} on ${formatDayKey(dayKey(instant, timeZone))}`;
}
