// Database URLs carry passwords (postgres://app:secret@host/db): whatever prints one prints it redacted.

const REDACTED = '***';

/** Where `url`'s password starts and ends (as written), or null when it has none (a SQLite path, no password). */
function passwordSpan(url: string): { start: number; end: number } | null {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return null;
  const from = scheme[0].length;
  // The user part ends at the last '@' before the query: a password may hold an unencoded '/' or '@'.
  const query = url.slice(from).search(/[?#]/);
  const authorityEnd = query < 0 ? url.length : from + query;
  const at = url.lastIndexOf('@', authorityEnd - 1);
  if (at < from) return null;
  const colon = url.indexOf(':', from);
  if (colon < 0 || colon > at) return null;
  return { start: colon + 1, end: at };
}

/** `url` with its password replaced by ***, e.g. postgres://app:***@host/db; anything without one is unchanged. */
export function redactUrl(url: string): string {
  const span = passwordSpan(url);
  return span ? url.slice(0, span.start) + REDACTED + url.slice(span.end) : url;
}

/** `text` (an error message, a log line) with `url`'s password removed wherever it appears, as written or decoded. */
export function redactSecrets(text: string, url: string): string {
  const span = passwordSpan(url);
  if (!span || span.end === span.start) return text;
  const raw = url.slice(span.start, span.end);
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Not valid percent-encoding: the raw form is the only one to look for.
  }
  let out = text.split(url).join(redactUrl(url));
  for (const secret of [raw, decoded]) out = out.split(secret).join(REDACTED);
  return out;
}
