// Human-readable dates in the site's zone, with the zone's abbreviation (GMT, BST, PST …).

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(instant: number, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(instant))) out[p.type] = p.value;
  return out;
}

const zoneNameFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's abbreviation at the instant: "GMT", "BST", "PDT", "IST"… Each locale knows the names of
 * its own region, so several are asked; a bare offset ("UTC+5:30") is the fallback.
 */
export function zoneAbbreviation(instant: number, timeZone: string): string {
  let fallback = '';
  for (const locale of ['en-US', 'en-GB', 'en-IN', 'en-AU', 'en-CA']) {
    const key = `${locale}|${timeZone}`;
    let f = zoneNameFormatters.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
      zoneNameFormatters.set(key, f);
    }
    const name = f.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (name && !/^(GMT|UTC)[+-−]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback.replace(/^GMT/, 'UTC');
}

/** "20 Nov 2026, 10:05 GMT" */
export function formatDateTime(instant: number, timeZone: string): string {
  const p = parts(instant, timeZone);
  return `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}, ${p.hour}:${p.minute} ${zoneAbbreviation(instant, timeZone)}`;
}

/** "10:05 GMT" */
export function formatTime(instant: number, timeZone: string): string {
  const p = parts(instant, timeZone);
  return `${p.hour}:${p.minute} ${zoneAbbreviation(instant, timeZone)}`;
}

function splitKey(key: string): [number, number, number] {
  return key.split('-').map(Number) as [number, number, number];
}

/** "20 Nov 2026" for a YYYY-MM-DD day key (a calendar day, no zone shift). */
export function formatDayKey(key: string): string {
  const [y, m, d] = splitKey(key);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "Friday 20 November 2026" for a day key. */
export function formatLongDayKey(key: string): string {
  const [y, m, d] = splitKey(key);
  return `${WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]} ${d} ${LONG_MONTHS[m - 1]} ${y}`;
}

/** "November 2026" for a YYYY-MM month key. */
export function formatMonthKey(key: string): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return `${LONG_MONTHS[m - 1]} ${y}`;
}
