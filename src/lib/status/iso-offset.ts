// ISO 8601 instants written in a zone's wall-clock time with its offset, as Statuspage's API writes them.
import { zoneOffset } from './time.ts';

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** "2026-11-20T11:05:00.000+01:00" for Europe/Paris; UTC (and any zero offset) ends in "Z". */
export function formatIsoWithOffset(instant: number, timeZone: string): string {
  const offset = zoneOffset(instant, timeZone);
  const local = new Date(instant + offset).toISOString().slice(0, 23);
  if (offset === 0) return `${local}Z`;
  const minutes = Math.round(Math.abs(offset) / 60000);
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
