// Human-readable dates in the site's zone, with the zone's abbreviation (GMT, BST, PST …).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(key: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${key}|${timeZone}`;
  let f = formatters.get(cacheKey);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
    formatters.set(cacheKey, f);
  }
  return f;
}

/** "20 Nov 2026, 10:05 GMT" */
export function formatDateTime(instant: number, timeZone: string): string {
  return formatter('dt', timeZone, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).format(new Date(instant));
}

/** "10:05 GMT" */
export function formatTime(instant: number, timeZone: string): string {
  return formatter('t', timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(new Date(instant));
}

/** "20 Nov 2026" for a YYYY-MM-DD day key (a calendar day, no zone shift). */
export function formatDayKey(key: string): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return formatter('day', 'UTC', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "Friday 20 November 2026" for a day key. */
export function formatLongDayKey(key: string): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return formatter('lday', 'UTC', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "November 2026" for a YYYY-MM month key. */
export function formatMonthKey(key: string): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return formatter('month', 'UTC', { month: 'long', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, 1)));
}
