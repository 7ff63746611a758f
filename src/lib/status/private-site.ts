// The private site's rules, pure (docs/decisions/020-private-site.md): which paths need a pass, whose address may
// ask for a link, and where a link may lead.
import type { Site } from './types.ts';

/** robots.txt while the site is private: no crawler reads anything. */
export const PRIVATE_ROBOTS_TXT = 'User-agent: *\nDisallow: /\n';

/** Why no static copy is made or pushed while the site is private: a copy would publish it. */
export const EXPORT_REFUSED = 'the site is private (site.yaml visibility: private): no static copy is made or pushed, since a copy would publish it';

/** The cookie a reader pass travels in. */
export const READER_COOKIE = 'kaizen_reader';
/** A link by email works this long after it was asked for, once. */
export const READER_LINK_LIFETIME_MS = 15 * 60_000;
/** A reader pass (the browser that opened a link) lasts this long. */
export const READER_PASS_LIFETIME_MS = 30 * 24 * 60 * 60_000;

export function isPrivateSite(site: Pick<Site, 'privateAccess'>): boolean {
  return site.privateAccess !== undefined;
}

/**
 * What a path needs while the site is private: 'open' (health, admin, the private page itself, signature- or
 * key-authenticated APIs, the one-click unsubscribe, static files), 'machine' (API, feeds, badges, calendars:
 * a 401 in text or JSON) or 'page' (an HTML page: the private page instead).
 */
export function gateFor(path: string): 'open' | 'page' | 'machine' {
  if (path === '/admin' || path.startsWith('/admin/')) return 'open';
  if (path === '/private' || path.startsWith('/private/')) return 'open';
  if (/^\/(healthz|readyz|metrics|robots\.txt|favicon\.[a-z]+)$/.test(path) || path.startsWith('/_astro/')) return 'open';
  // Inbound webhooks prove themselves with signatures, the manage API with its key.
  if (path === '/api/webhooks/resend' || path.startsWith('/api/v1/alerts/') || path.startsWith('/api/v1/pages/')) return 'open';
  // The unsubscribe link in emails that still go out (RFC 8058 one-click): its token is the authority, it shows no status.
  if (/^\/unsubscribe\/[^/]+\/?$/.test(path)) return 'open';
  if (path.startsWith('/api/') || /\.(json|atom|rss|svg|ics|xml|csv|txt)$/.test(path)) return 'machine';
  return 'page';
}

/** The address's domain, lower case, or null when it is not an address. */
export function emailDomainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
}

/** True when the address is in one of the allowed domains exactly (a subdomain is not its parent). */
export function mayReceiveLink(email: string, allowedDomains: readonly string[]): boolean {
  const domain = emailDomainOf(email);
  return domain !== null && allowedDomains.includes(domain);
}

/** Where a reader lands after opening a link: a local path of this site only, never another site or the admin. */
export function safeReaderNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next)) return '/';
  if (/^\/(private|admin)(\/|$|\?)/.test(next)) return '/';
  return next.length > 1000 ? '/' : next;
}

/** Requests for a link: per address and per client address, in one window. */
export const READER_LINK_WINDOW_MS = 15 * 60_000;
export const MAX_LINKS_PER_ADDRESS = 3;
export const MAX_LINKS_PER_CLIENT = 10;

/** Seconds until one more request is allowed, or 0 when it is allowed now (times: earlier requests, ms). */
export function readerLinkWait(perAddress: readonly number[], perClient: readonly number[], now: number): number {
  const until = (times: readonly number[], max: number): number => {
    const recent = times.filter((t) => t > now - READER_LINK_WINDOW_MS).sort((a, b) => b - a);
    return recent.length < max ? 0 : recent[max - 1]! + READER_LINK_WINDOW_MS;
  };
  const t = Math.max(until(perAddress, MAX_LINKS_PER_ADDRESS), until(perClient, MAX_LINKS_PER_CLIENT));
  return t > now ? Math.max(1, Math.ceil((t - now) / 1000)) : 0;
}
