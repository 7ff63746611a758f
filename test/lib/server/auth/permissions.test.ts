import { describe, expect, it } from 'vitest';
import { mayAccess, requiredAccess, routeRules, ruleFor } from '../../../../src/lib/server/auth/permissions.ts';
import { roles } from '../../../../src/lib/status/roles.ts';
import { adminSourceRoutes, concretePath } from '../../../helpers/admin-routes.ts';

describe('the admin permission table', () => {
  const source = adminSourceRoutes();

  it('has a rule for every page, endpoint and form action under src/pages/admin', () => {
    const missing: string[] = [];
    for (const r of source) {
      const path = concretePath(r.pattern);
      if (ruleFor(path)?.pattern !== r.pattern) missing.push(`${r.file}: no rule for ${r.pattern}`);
      if (r.get && requiredAccess('GET', path) === null) missing.push(`${r.file}: no GET rule`);
      for (const a of r.actions ?? []) if (requiredAccess('POST', path, a) === null) missing.push(`${r.file}: no rule for the post action '${a}'`);
    }
    expect(missing).toEqual([]);
  });

  it('has no rule for a route that does not exist', () => {
    const patterns = new Set(source.map((r) => r.pattern));
    expect(routeRules.map((r) => r.pattern).filter((p) => !patterns.has(p))).toEqual([]);
  });

  it('refuses what no rule allows, for every role', () => {
    for (const role of [...roles, null]) {
      expect(mayAccess(role, 'GET', '/admin/no-such-page')).toBe(false);
      expect(mayAccess(role, 'POST', '/admin/users', 'no-such-action')).toBe(false);
      expect(mayAccess(role, 'POST', '/admin/audit')).toBe(false);
      expect(mayAccess(role, 'DELETE', '/admin/users')).toBe(false);
      expect(mayAccess(role, 'GET', '/admin/logout')).toBe(false);
    }
  });

  it.each([
    ['GET', '/admin', '', ['viewer', 'responder', 'admin']],
    ['GET', '/admin/metrics', '', ['viewer', 'responder', 'admin']],
    ['GET', '/admin/metrics.csv', '', ['viewer', 'responder', 'admin']],
    ['GET', '/admin/incidents/new', '', ['responder', 'admin']],
    ['POST', '/admin/incidents/new', '', ['responder', 'admin']],
    ['POST', '/admin/incidents/abc', 'update', ['responder', 'admin']],
    ['POST', '/admin/maintenance/abc', 'delete', ['responder', 'admin']],
    ['POST', '/admin/postmortems/abc', 'publish', ['responder', 'admin']],
    ['GET', '/admin/subscribers', '', ['responder', 'admin']],
    ['POST', '/admin/subscribers', 'remove', ['admin']],
    ['POST', '/admin/users', 'invite', ['admin']],
    ['POST', '/admin/users', 'role', ['admin']],
    ['POST', '/admin/components', '', ['admin']],
    ['POST', '/admin/api-keys', 'create', ['admin']],
    ['POST', '/admin/channels', 'add', ['admin']],
    ['POST', '/admin/mirror', 'push', ['admin']],
    ['POST', '/admin/alerts', '', ['admin']],
    ['POST', '/admin/emails', 'retry', ['admin']],
    ['POST', '/admin/account', '', ['viewer', 'responder', 'admin']],
    ['POST', '/admin/logout', '', ['viewer', 'responder', 'admin']],
    ['POST', '/admin/account/passkeys', 'options', ['viewer', 'responder', 'admin']],
    ['POST', '/admin/account/passkeys', 'register', ['viewer', 'responder', 'admin']],
  ] as const)('%s %s %s: %j', (method, path, action, allowed) => {
    for (const role of roles) expect(mayAccess(role, method, path, action), role).toBe((allowed as readonly string[]).includes(role));
    expect(mayAccess(null, method, path, action)).toBe(false);
  });

  it('lets anyone reach sign-in, setup and password links', () => {
    for (const p of ['/admin/login', '/admin/setup', '/admin/reset']) {
      expect(mayAccess(null, 'GET', p)).toBe(true);
      expect(mayAccess(null, 'POST', p, '')).toBe(true);
    }
    // A passkey sign-in (second step or passwordless): its two posts only.
    for (const a of ['options', 'verify']) expect(mayAccess(null, 'POST', '/admin/login/passkey', a)).toBe(true);
    expect(mayAccess(null, 'POST', '/admin/login/passkey', '')).toBe(false);
    expect(mayAccess(null, 'GET', '/admin/login/passkey')).toBe(false);
  });

  it('lets anyone leave for single sign-on and come back, by GET only', () => {
    for (const p of ['/admin/login/sso', '/admin/login/sso/callback']) {
      expect(mayAccess(null, 'GET', p)).toBe(true);
      expect(mayAccess(null, 'POST', p, '')).toBe(false);
    }
  });

  it('matches literal routes before parameters and a trailing slash', () => {
    expect(ruleFor('/admin/incidents/new')?.pattern).toBe('/admin/incidents/new');
    expect(ruleFor('/admin/incidents/abc/')?.pattern).toBe('/admin/incidents/:id');
    expect(ruleFor('/admin/incidents/abc/def')).toBeNull();
  });
});
