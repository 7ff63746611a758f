// What readers and admins are told while a part has failed: pure rules, no I/O.
import { formatDateTime, formatTime } from './format.ts';

/** A failed part: when it failed and why, in words. */
export interface Outage {
  since: number;
  reason: string;
}

/** The parts whose failure degrades the site without taking it down. */
export interface Degraded {
  database: Outage | null;
  content: Outage | null;
}

/** Readers see a notice only after this long (by default), so a blip does not alarm anyone. */
export const NOTICE_AFTER_MS = 60_000;

export const healthy: Degraded = { database: null, content: null };

export function isDegraded(d: Degraded): boolean {
  return d.database !== null || d.content !== null;
}

/** When what is served was last known to be current: now, or the moment the earliest failed part went down. */
export function dataAsOf(d: Degraded, now: number): number {
  return Math.min(now, d.database?.since ?? Infinity, d.content?.since ?? Infinity);
}

/** The public "updates may be delayed" notice, shown once a part has been down for `afterMs` (a minute). */
export function delayNotice(d: Degraded, now: number, afterMs: number = NOTICE_AFTER_MS): string | null {
  if (!isDegraded(d) || now - dataAsOf(d, now) < afterMs) return null;
  return 'Updates may be delayed: this page shows the latest information we have while part of our status system recovers.';
}

/**
 * An RFC 9111-style `Warning` header value (110: the response may be stale), or null when healthy. The text
 * names the failed part and the moment it failed, never anything more internal.
 */
export function warningHeader(d: Degraded): string | null {
  const parts: string[] = [];
  if (d.database) parts.push(`database unavailable since ${new Date(d.database.since).toISOString()}`);
  if (d.content) parts.push(`content unavailable since ${new Date(d.content.since).toISOString()}`);
  if (parts.length === 0) return null;
  return `110 - "Response may be stale: ${parts.join('; ')}"`;
}

/** The admin banner's lines, in the site's zone: what failed, since when, and what it means for a change made now. */
export function adminBanner(d: Degraded, now: number, timeZone: string): string[] {
  const at = (t: number): string => (now - t < 86_400_000 ? formatTime(t, timeZone) : formatDateTime(t, timeZone));
  const lines: string[] = [];
  if (d.database) lines.push(`Database unreachable since ${at(d.database.since)} (${d.database.reason}); your changes are not saved. The public page keeps showing the last good data.`);
  if (d.content) lines.push(`Content folder unavailable since ${at(d.content.since)} (${d.content.reason}); the site serves the last good copy of the content files.`);
  return lines;
}

/** The message a form answers with while the database is down (the form keeps what was typed). */
export function unsavedMessage(d: Degraded, now: number, timeZone: string): string {
  const since = d.database ? ` since ${now - d.database.since < 86_400_000 ? formatTime(d.database.since, timeZone) : formatDateTime(d.database.since, timeZone)}` : '';
  return `Database unreachable${since}; your changes are not saved. Everything you typed is still below: submit again once the database answers.`;
}
