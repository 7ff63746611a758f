// Facts about a request that auth decisions need: admin area, secure transport, same origin.
import { env } from '../env.ts';

export function isAdminPath(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/');
}

/** Pages under /admin that work without a session. */
export function isPublicAdminPath(path: string): boolean {
  return path === '/admin/login' || path === '/admin/login/code' || path === '/admin/login/passkey' || path === '/admin/setup' || path === '/admin/reset'
    || path === '/admin/login/sso' || path === '/admin/login/sso/callback';
}

/**
 * State changes that legitimately arrive without this site's Origin: RFC 8058 one-click unsubscribe
 * (sent by mail providers; the token in the path is the authority) and signature-verified webhooks.
 */
export function originExempt(path: string): boolean {
  return /^\/unsubscribe\/[^/]+\/?$/.test(path) || path === '/api/webhooks/resend' || path === '/api/v1/alerts/alertmanager' || path === '/api/v1/alerts/webhook' || isManageApiPath(path);
}

/**
 * Public read-only machine paths: the v2 and read-only v1 API, feeds and badges. A write there is answered 405 JSON
 * (with CORS) rather than the origin check's 403: nothing on them changes state, so no Origin needs checking.
 */
export function isReadOnlyPublicPath(path: string): boolean {
  if (path.startsWith('/api/v2/')) return true;
  if (/^\/api\/v1\/(incidents|components|postmortems|uptime)([./]|$)/.test(path)) return true;
  return /^\/(history\.(atom|rss)|badge\.svg|components\/[^/]+\/(badge\.svg|history\.(atom|rss)))$/.test(path);
}

/** The manage API (/api/v1/pages/…): authenticated by API key only, never by cookies, so no Origin is needed. */
export function isManageApiPath(path: string): boolean {
  return path.startsWith('/api/v1/pages/');
}

/**
 * Cookies are Secure when the request came over https or the public SITE_URL is https: behind a TLS proxy the app
 * sees plain http, whatever Host the proxy passes (`$host` drops the port), and an https site is https only (HSTS).
 */
export function isSecureRequest(url: URL): boolean {
  return url.protocol === 'https:' || env().SITE_URL?.startsWith('https:') === true;
}

/**
 * The Origin header names this site: SITE_URL's origin, or the request's own. An https SITE_URL makes the site https
 * only, so the own origin counts only over https (behind a TLS proxy the app sees http://host, never a real origin).
 */
export function sameOrigin(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return false;
  const site = env().SITE_URL;
  if (site !== undefined && origin === new URL(site).origin) return true;
  return origin === url.origin && (url.protocol === 'https:' || !site?.startsWith('https:'));
}

/**
 * A static mirror's subscribe form (docs/static-mirror.md) posting here: POST /subscribe from an origin listed in
 * STATIC_MIRROR_URL. No other state change accepts a mirror's origin.
 */
export function mirrorSubscribePost(request: Request, path: string): boolean {
  if (request.method !== 'POST' || path !== '/subscribe') return false;
  const origin = request.headers.get('origin');
  return origin !== null && (env().STATIC_MIRROR_URL ?? []).includes(origin);
}

/** Where to go after signing in: only a local admin path, never another site. */
export function safeNext(next: string | null): string {
  if (next && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//')) return next;
  return '/admin';
}
