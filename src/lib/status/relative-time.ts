// "12 min ago", "in 3 days": the distance from now to an instant, in the reader's language. Pure, so the server
// renders the first text and the page's script (src/scripts/freshness.ts) keeps it current with the same words.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const formatters = new Map<string, Intl.RelativeTimeFormat>();

function formatter(tag: string, numeric: 'auto' | 'always'): Intl.RelativeTimeFormat {
  const key = `${tag}|${numeric}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.RelativeTimeFormat(tag, { numeric, style: 'short' });
    formatters.set(key, f);
  }
  return f;
}

/** The instant relative to now in the BCP 47 language `tag`: "now" under a minute, else the largest whole unit. */
export function relativeTime(instant: number, now: number, tag: string): string {
  const diff = instant - now;
  const abs = Math.abs(diff);
  // Numbers always ("1 day ago", not "yesterday", which would depend on the reader's midnight).
  for (const [unit, ms] of UNITS) if (abs >= ms) return formatter(tag, 'always').format(Math.trunc(diff / ms), unit);
  return formatter(tag, 'auto').format(0, 'second');
}
