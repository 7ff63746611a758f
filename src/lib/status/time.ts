// Calendar arithmetic in an IANA time zone, without I/O. Instants are epoch milliseconds.

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

/** Offset of the zone from UTC at the instant, in milliseconds (positive east of Greenwich). */
export function zoneOffset(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instant - (instant % 1000 + 1000) % 1000);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the zone. */
export function dayKey(instant: number, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The day key n days after (or before, when negative) the given one. */
export function addDays(key: string, n: number): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The instant local midnight begins the given day in the zone (DST-aware). */
export function startOfDay(key: string, timeZone: string): number {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d);
  const first = naive - zoneOffset(naive, timeZone);
  const second = naive - zoneOffset(first, timeZone);
  // Where clocks jump at midnight the day starts at 01:00; keep the earliest candidate inside the day.
  const inDay = [first, second].filter((c) => dayKey(c, timeZone) === key);
  return inDay.length > 0 ? Math.min(...inDay) : second;
}

/** The [start, end) instants of the given local day. 23 or 25 hours long on DST change days. */
export function dayBounds(key: string, timeZone: string): { start: number; end: number } {
  return { start: startOfDay(key, timeZone), end: startOfDay(addDays(key, 1), timeZone) };
}

/** "1 h 13 min", "45 min", "2 d 3 h"; under a minute reads "less than a minute". */
/** A duration in whole days, hours and minutes (rounded to the minute), for the formatters of every language. */
export function durationParts(ms: number): { days: number; hours: number; minutes: number } {
  const totalMinutes = Math.round(ms / 60000);
  return { days: Math.floor(totalMinutes / 1440), hours: Math.floor((totalMinutes % 1440) / 60), minutes: totalMinutes % 60 };
}

export function formatDuration(ms: number): string {
  if (ms < 60000) return 'less than a minute';
  const { days, hours, minutes } = durationParts(ms);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

/** Reads a wall-clock "YYYY-MM-DDTHH:MM" (an <input type=datetime-local> value) in the zone; null when malformed. */
export function parseLocalDateTime(value: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(naive).getUTCDate() !== d) return null;
  let guess = naive - zoneOffset(naive, timeZone);
  guess = naive - zoneOffset(guess, timeZone);
  return guess;
}

/** The instant as a datetime-local value ("YYYY-MM-DDTHH:MM") in the zone. */
export function toLocalDateTime(instant: number, timeZone: string): string {
  const local = new Date(instant + zoneOffset(instant, timeZone));
  return local.toISOString().slice(0, 16);
}
