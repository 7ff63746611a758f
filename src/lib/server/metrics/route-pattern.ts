// The route a request path belongs to, as its page's pattern (/incidents/:id), so metrics labels stay few.
import { splitLocalePrefix } from '../../i18n/locales.ts';

/** Every page under src/pages as a pattern; a guard test keeps the list in step with the folder. */
export const routePatterns = [
  '/', '/404', '/unavailable', '/history', '/history/page/:n', '/history.atom', '/history.rss', '/reliability',
  '/incidents/:id', '/maintenance/:id.ics', '/maintenance/:id', '/maintenance.ics', '/postmortems', '/postmortems/:id',
  '/components/:id/badge.svg', '/components/:id/history.atom', '/components/:id/history.rss', '/badge.svg',
  '/subscribe', '/subscribe/confirm/:token', '/subscribe/channel/:token', '/manage/:token', '/unsubscribe/:token',
  '/private', '/private/open/:token', '/private/forget',
  '/admin', '/admin/account', '/admin/account/passkeys', '/admin/alerts', '/admin/audit', '/admin/channels', '/admin/components', '/admin/emails', '/admin/emails/:id', '/admin/emails/:id/html', '/admin/forbidden',
  '/admin/incidents', '/admin/incidents/new', '/admin/incidents/:id', '/admin/login', '/admin/login/code', '/admin/login/passkey', '/admin/login/sso', '/admin/login/sso/callback', '/admin/logout',
  '/admin/maintenance', '/admin/maintenance/:id', '/admin/metrics', '/admin/metrics.csv', '/admin/mirror',
  '/admin/postmortems', '/admin/postmortems/:id', '/admin/reset', '/admin/setup', '/admin/subscribers', '/admin/subscribers.csv', '/admin/users', '/admin/api-keys',
  '/api/v1/alerts/alertmanager', '/api/v1/alerts/webhook', '/api/v1/components/:id.json', '/api/v1/incidents.json', '/api/v1/incidents/:id.json', '/api/v1/postmortems.json', '/api/v1/uptime.json',
  '/api/v2/components.json', '/api/v2/incidents.json', '/api/v2/incidents/unresolved.json', '/api/v2/scheduled-maintenances.json',
  '/api/v2/scheduled-maintenances/active.json', '/api/v2/scheduled-maintenances/upcoming.json', '/api/v2/status.json', '/api/v2/summary.json',
  '/api/v1/pages/:page_id/*',
  '/api/webhooks/resend', '/api/*',
  // Answered by the server script itself.
  '/healthz', '/readyz', '/metrics',
] as const;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Literal routes win over parameters (/admin/incidents/new over /admin/incidents/:id): fewer parameters first;
// catch-alls last, the longest (most specific) first.
const compiled = [...routePatterns]
  .map((p) => ({
    pattern: p,
    params: (p.match(/:|\*/g) ?? []).length,
    wild: p.endsWith('*') ? 1 : 0,
    re: new RegExp(`^${p.split(/(:[a-z_]+|\*)/).map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+?' : escape(part))).join('')}/?$`),
  }))
  .sort((a, b) => a.wild - b.wild || (a.wild ? b.pattern.length - a.pattern.length : a.params - b.params));

/** The pattern of the page `pathname` reaches; 'static' for build assets and public files, 'other' for the rest. */
export function routePattern(pathname: string): string {
  for (const c of compiled) if (c.re.test(pathname)) return c.pattern;
  // A page in another language ('/de/history') counts with its route: the labels stay as few.
  const language = splitLocalePrefix(pathname);
  if (language && !language.rest.startsWith('/api/')) for (const c of compiled) if (c.re.test(language.rest)) return c.pattern;
  if (pathname.startsWith('/_astro/') || /^\/[^/]+\.(?:ico|png|svg|txt|webmanifest|xml|css|js)$/.test(pathname)) return 'static';
  return 'other';
}
