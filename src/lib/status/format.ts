// Human-readable dates in the site's zone, with the zone's abbreviation (GMT, BST, PST …).
// English (the default) is written out by hand; the other interface languages use Intl in their own order.
import { intlTags, type Locale } from '../i18n/locales.ts';
import { translate } from '../i18n/translate.ts';
import { durationParts, formatDuration } from './time.ts';

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

const localeFormatters = new Map<string, Intl.DateTimeFormat>();

/** The locale's formatter for the options, made once. */
function localFormat(locale: Locale, kind: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${kind}|${timeZone}`;
  let f = localeFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlTags[locale], { timeZone, ...options });
    localeFormatters.set(key, f);
  }
  return f;
}

const dayInstant = (key: string): number => {
  const [y, m, d] = splitKey(key);
  return Date.UTC(y, m - 1, d, 12);
};

/** "20 Nov 2026, 10:05 GMT"; German "20. Nov. 2026, 10:05 GMT" */
export function formatDateTime(instant: number, timeZone: string, locale: Locale = 'en'): string {
  if (locale !== 'en') {
    const f = localFormat(locale, 'datetime', timeZone, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return `${f.format(new Date(instant))} ${zoneAbbreviation(instant, timeZone)}`;
  }
  const p = parts(instant, timeZone);
  return `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}, ${p.hour}:${p.minute} ${zoneAbbreviation(instant, timeZone)}`;
}

/** "10:05 GMT" */
export function formatTime(instant: number, timeZone: string, locale: Locale = 'en'): string {
  if (locale !== 'en') {
    const f = localFormat(locale, 'time', timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return `${f.format(new Date(instant))} ${zoneAbbreviation(instant, timeZone)}`;
  }
  const p = parts(instant, timeZone);
  return `${p.hour}:${p.minute} ${zoneAbbreviation(instant, timeZone)}`;
}

function splitKey(key: string): [number, number, number] {
  return key.split('-').map(Number) as [number, number, number];
}

/** "20 Nov 2026" for a YYYY-MM-DD day key (a calendar day, no zone shift). */
export function formatDayKey(key: string, locale: Locale = 'en'): string {
  if (locale !== 'en') return localFormat(locale, 'day', 'UTC', { day: 'numeric', month: 'short', year: 'numeric' }).format(dayInstant(key));
  const [y, m, d] = splitKey(key);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "Friday 20 November 2026" for a day key. */
export function formatLongDayKey(key: string, locale: Locale = 'en'): string {
  if (locale !== 'en') return localFormat(locale, 'longday', 'UTC', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(dayInstant(key));
  const [y, m, d] = splitKey(key);
  return `${WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]} ${d} ${LONG_MONTHS[m - 1]} ${y}`;
}

/** "November 2026" for a YYYY-MM month key. */
export function formatMonthKey(key: string, locale: Locale = 'en'): string {
  if (locale !== 'en') return localFormat(locale, 'month', 'UTC', { month: 'long', year: 'numeric' }).format(dayInstant(`${key}-01`));
  const [y, m] = key.split('-').map(Number) as [number, number];
  return `${LONG_MONTHS[m - 1]} ${y}`;
}

/** "2 h 15 min" (time.ts formatDuration) in the reader's language: German "2 Std. 15 Min.". */
export function formatElapsed(ms: number, locale: Locale = 'en'): string {
  if (locale === 'en') return formatDuration(ms);
  if (ms < 60000) return translate(locale, 'duration.lessThanMinute');
  const { days, hours, minutes } = durationParts(ms);
  if (days > 0) return hours > 0 ? translate(locale, 'duration.daysHours', { days, hours }) : translate(locale, 'duration.days', { days });
  if (hours > 0) return minutes > 0 ? translate(locale, 'duration.hoursMinutes', { hours, minutes }) : translate(locale, 'duration.hours', { hours });
  return translate(locale, 'duration.minutes', { minutes });
}

const percentFormats = new Map<Locale, Intl.NumberFormat>();

/** An uptime ratio as uptime.ts formatUptime rounds it ("99.95%"), in the reader's language ("99,95 %"). */
export function formatUptimeIn(uptime: number | null, locale: Locale = 'en'): string {
  if (uptime === null) return '—';
  // The epsilon absorbs binary rounding (0.57 × 10000 = 5699.999…) without ever reaching 100% early.
  const hundredths = Math.floor(uptime * 10000 + 1e-7);
  if (locale === 'en') return `${(hundredths / 100).toFixed(2)}%`;
  let f = percentFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(intlTags[locale], { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    percentFormats.set(locale, f);
  }
  return f.format(hundredths / 10000);
}
