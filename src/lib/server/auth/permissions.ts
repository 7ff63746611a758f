// Who may do what under /admin: one rule per route (GET to read it, each form action to post it), enforced by the
// middleware for every request. A route or action without a rule is refused, whatever the role (deny by default).
import { roleAtLeast, type Role } from '../../status/roles.ts';

/** The least role allowed, or 'public' for the pages that work without a session (sign-in, setup, reset). */
export type Access = Role | 'public';

export interface RouteRule {
  /** The route as src/pages names it, parameters as :name (/admin/incidents/:id). */
  pattern: string;
  /** A page answers a refusal as HTML, an endpoint as JSON. */
  kind: 'page' | 'endpoint';
  get?: Access;
  /**
   * Form posts: one Access for every post to the route, or one per value of the form's `action` field
   * ('' is a post without one). An action not listed is refused.
   */
  post?: Access | Readonly<Record<string, Access>>;
}

const responderPosts = (...actions: string[]): Record<string, Access> => Object.fromEntries(actions.map((a) => [a, 'responder']));
const adminPosts = (...actions: string[]): Record<string, Access> => Object.fromEntries(actions.map((a) => [a, 'admin']));

/** The whole table. A page or form action added under src/pages/admin without a row here fails test/lib/server/auth/permissions.test.ts. */
export const routeRules: readonly RouteRule[] = [
  { pattern: '/admin', kind: 'page', get: 'viewer' },
  // Signing in, first-admin setup and a password link: no session yet. The sign-in page's steps are its own.
  { pattern: '/admin/login', kind: 'page', get: 'public', post: 'public' },
  // The second step (a TOTP or recovery code) after a correct password: a pending sign-in, no session yet.
  { pattern: '/admin/login/code', kind: 'page', get: 'public', post: 'public' },
  // A passkey instead of the code (step=second, with the pending sign-in) or instead of the password too: no session yet.
  { pattern: '/admin/login/passkey', kind: 'endpoint', post: { options: 'public', verify: 'public' } },
  // Single sign-on: leaving for the provider, and its answer coming back (decision record 019).
  { pattern: '/admin/login/sso', kind: 'endpoint', get: 'public' },
  { pattern: '/admin/login/sso/callback', kind: 'endpoint', get: 'public' },
  { pattern: '/admin/setup', kind: 'page', get: 'public', post: 'public' },
  { pattern: '/admin/reset', kind: 'page', get: 'public', post: 'public' },
  { pattern: '/admin/logout', kind: 'endpoint', post: 'viewer' },
  // One's own account (password, reminders, second factor): every role.
  { pattern: '/admin/account', kind: 'page', get: 'viewer', post: 'viewer' },
  { pattern: '/admin/account/passkeys', kind: 'endpoint', post: { options: 'viewer', register: 'viewer' } },
  { pattern: '/admin/forbidden', kind: 'page', get: 'viewer' },
  { pattern: '/admin/audit', kind: 'page', get: 'viewer' },
  { pattern: '/admin/metrics', kind: 'page', get: 'viewer' },
  { pattern: '/admin/metrics.csv', kind: 'endpoint', get: 'viewer' },
  // Responders: incidents, their updates, maintenance, post-mortems, and who is subscribed.
  { pattern: '/admin/incidents', kind: 'page', get: 'viewer' },
  { pattern: '/admin/incidents/new', kind: 'page', get: 'responder', post: responderPosts('') },
  { pattern: '/admin/incidents/:id', kind: 'page', get: 'viewer', post: responderPosts('update', 'reopen', 'wording', 'escalate', 'correct', 'edit', 'delete', 'repeat') },
  { pattern: '/admin/maintenance', kind: 'page', get: 'viewer', post: responderPosts('') },
  { pattern: '/admin/maintenance/:id', kind: 'page', get: 'viewer', post: responderPosts('', 'delete') },
  { pattern: '/admin/postmortems', kind: 'page', get: 'viewer' },
  { pattern: '/admin/postmortems/:id', kind: 'page', get: 'viewer', post: responderPosts('', 'preview', 'save', 'publish', 'confirm', 'unpublish') },
  // Subscribers' addresses (and the emails sent to them) are personal data: responders and up read them.
  { pattern: '/admin/subscribers', kind: 'page', get: 'responder', post: adminPosts('remove') },
  { pattern: '/admin/subscribers.csv', kind: 'endpoint', get: 'responder' },
  { pattern: '/admin/emails', kind: 'page', get: 'responder', post: adminPosts('retry') },
  { pattern: '/admin/emails/:id', kind: 'page', get: 'responder', post: adminPosts('') },
  { pattern: '/admin/emails/:id/html', kind: 'endpoint', get: 'responder' },
  // Admins: users, components, settings, API keys and integrations.
  { pattern: '/admin/users', kind: 'page', get: 'viewer', post: adminPosts('invite', 'role', 'remove', 'reset') },
  { pattern: '/admin/components', kind: 'page', get: 'viewer', post: adminPosts('') },
  { pattern: '/admin/api-keys', kind: 'page', get: 'viewer', post: adminPosts('create', 'revoke') },
  { pattern: '/admin/alerts', kind: 'page', get: 'viewer', post: adminPosts('') },
  { pattern: '/admin/channels', kind: 'page', get: 'viewer', post: adminPosts('add', 'remove', 'enable') },
  { pattern: '/admin/mirror', kind: 'page', get: 'viewer', post: adminPosts('export', 'push') },
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Literal routes before parameters (/admin/incidents/new before /admin/incidents/:id).
const compiled = [...routeRules]
  .map((rule) => ({ rule, params: (rule.pattern.match(/:/g) ?? []).length, re: new RegExp(`^${rule.pattern.split(/(:[a-z_]+)/).map((p) => (p.startsWith(':') ? '[^/]+' : escape(p))).join('')}/?$`) }))
  .sort((a, b) => a.params - b.params);

/** The rule of an admin path, or null when it has none. */
export function ruleFor(path: string): RouteRule | null {
  return compiled.find((c) => c.re.test(path))?.rule ?? null;
}

/** What a request needs: the least role, 'public', or null when nothing allows it (no rule). */
export function requiredAccess(method: string, path: string, action: string | null = null): Access | null {
  const rule = ruleFor(path);
  if (!rule) return null;
  if (method === 'GET' || method === 'HEAD') return rule.get ?? null;
  if (method !== 'POST' || rule.post === undefined) return null;
  if (typeof rule.post === 'string') return rule.post;
  return Object.hasOwn(rule.post, action ?? '') ? rule.post[action ?? '']! : null;
}

/** Whether `role` (null: not signed in) may make this request. */
export function mayAccess(role: Role | null, method: string, path: string, action: string | null = null): boolean {
  const needed = requiredAccess(method, path, action);
  if (needed === null) return false;
  if (needed === 'public') return true;
  return role !== null && roleAtLeast(role, needed);
}

/** Whether the page should offer a form: the same rule as the post it makes (null role: not signed in). */
export function mayPost(role: Role | null | undefined, path: string, action = ''): boolean {
  return mayAccess(role ?? null, 'POST', path, action);
}
