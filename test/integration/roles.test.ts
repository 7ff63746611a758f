// Roles over the real server: every admin route and form action, walked with each role, is allowed or refused as the
// rule table says (403 naming the role needed); invitations by email land the invitee signed in with their role;
// role changes and removals apply at once; the last admin cannot be removed or demoted, even by two at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, ADMIN_EMAIL, ADMIN_PASSWORD, firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { adminSourceRoutes, concretePath } from '../helpers/admin-routes.ts';
import { emailEnv } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { requiredAccess } from '../../src/lib/server/auth/permissions.ts';
import { roleAtLeast, roles, type Role } from '../../src/lib/status/roles.ts';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
const clients = {} as Record<Role, AdminClient>;
const emailOf = (role: Role): string => (role === 'admin' ? ADMIN_EMAIL : `${role}@acme.test`);

/** Invites `email` as `role` and follows the emailed link to choose a password; returns the signed-in client. */
async function invite(email: string, role: Role): Promise<AdminClient> {
  const r = await clients.admin.post('/admin/users', { action: 'invite', email, role });
  expect(r.status, await r.clone().text()).toBe(200);
  await eventually(async () => expect(fake.deliveredTo(email)).toHaveLength(1), 20_000);
  const mail = fake.deliveredTo(email)[0]!;
  expect(mail.subject).toBe('You are invited to the Acme Cloud status page admin');
  expect(mail.text).toContain('72 hours');
  const link = /https?:\/\/[^/\s]+(\/admin\/reset\?token=\w+)/.exec(mail.text)![1]!;
  const client = adminClient(server);
  expect((await client.post(link, { password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD })).status).toBe(303);
  expect(client.cookie).not.toBeNull();
  // Single use: the same link again is refused.
  expect((await adminClient(server).post(link, { password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD })).status).toBe(400);
  return client;
}

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake) });
  clients.admin = await firstAdmin(server);
  clients.viewer = await invite(emailOf('viewer'), 'viewer');
  clients.responder = await invite(emailOf('responder'), 'responder');
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

// Ids that exist in the fixture where a route has one; the others answer 404 (which is not a refusal).
const ids: Record<string, string> = { '/admin/incidents/:id': 'open-api-errors', '/admin/postmortems/:id': 'old-dashboard-outage' };

interface Case { method: 'GET' | 'POST'; pattern: string; path: string; kind: 'page' | 'endpoint'; action: string | null }
const cases: Case[] = adminSourceRoutes().flatMap((r) => {
  const path = concretePath(r.pattern, ids[r.pattern] ?? 'no-such-id');
  return [
    ...(r.get ? [{ method: 'GET' as const, pattern: r.pattern, path, kind: r.kind, action: null }] : []),
    // Signing out would end the walk's sessions: it is walked last, below.
    ...(r.actions ?? []).filter(() => r.pattern !== '/admin/logout').map((action) => ({ method: 'POST' as const, pattern: r.pattern, path, kind: r.kind, action })),
  ];
});

async function request(client: AdminClient, c: Case): Promise<Response> {
  return c.method === 'GET' ? client.get(c.path) : client.post(c.path, c.action ? { action: c.action } : {});
}

async function expectRefused(r: Response, kind: 'page' | 'endpoint', needed: Role | null): Promise<void> {
  expect(r.status).toBe(403);
  if (kind === 'endpoint') {
    expect(r.headers.get('content-type')).toContain('application/json');
    const body = (await r.json()) as { requiredRole: Role | null; message: string };
    expect(body.requiredRole).toBe(needed);
  } else {
    expect(r.headers.get('content-type')).toContain('text/html');
    const html = await r.text();
    expect(html).toContain(needed ? `This needs the ${needed} role` : 'No role may do this');
  }
  expect(r.headers.get('cache-control')).toBe('private, no-store');
}

describe('every admin route and form action, with each role', () => {
  it('walks a route list taken from the source, each with a rule', () => {
    expect(cases.length).toBeGreaterThan(40);
    for (const c of cases) expect(requiredAccess(c.method, c.path, c.action), `${c.method} ${c.pattern} ${c.action ?? ''}`).not.toBeNull();
  });

  for (const role of roles) {
    it(`as ${role}: allowed is not 403, refused is a 403 naming the role needed`, async () => {
      const wrong: string[] = [];
      for (const c of cases) {
        const needed = requiredAccess(c.method, c.path, c.action)!;
        const allowed = needed === 'public' || roleAtLeast(role, needed);
        const r = await request(clients[role], c);
        // The refusal page itself answers 403 to everyone.
        if (c.pattern === '/admin/forbidden') {
          expect(r.status).toBe(403);
          expect(await r.text()).toContain('Not allowed');
          continue;
        }
        const label = `${role} ${c.method} ${c.path} ${c.action ?? ''} → ${r.status}`;
        if (allowed && r.status === 403) wrong.push(`${label} (should be allowed)`);
        if (!allowed) {
          if (r.status !== 403) wrong.push(`${label} (should be refused)`);
          else await expectRefused(r, c.kind, needed as Role);
        } else await r.body?.cancel();
      }
      expect(wrong).toEqual([]);
    }, 120_000);
  }

  it('refuses, for an admin too, a form action and a method that have no rule', async () => {
    await expectRefused(await clients.admin.post('/admin/users', { action: 'no-such-action' }), 'page', null);
    await expectRefused(await clients.admin.post('/admin/audit', {}), 'page', null);
    await expectRefused(await clients.admin.get('/admin/logout'), 'endpoint', null);
  });
});

describe('what each role sees', () => {
  it('a viewer gets read-only pages: no links to what it may not open, no forms it may not post', async () => {
    const home = await (await clients.viewer.get('/admin')).text();
    expect(home).toContain('Viewer');
    expect(home).not.toContain('href="/admin/subscribers"');
    expect(home).not.toContain('href="/admin/emails"');
    expect(home).toContain('href="/admin/metrics"');
    const users = await (await clients.viewer.get('/admin/users')).text();
    expect(users).toContain(emailOf('responder'));
    expect(users).not.toContain('id="invite-form"');
    expect(users).not.toContain('name="action" value="remove"');
    const incidents = await (await clients.viewer.get('/admin/incidents')).text();
    expect(incidents).not.toContain('href="/admin/incidents/new"');
    const incident = await (await clients.viewer.get('/admin/incidents/open-api-errors')).text();
    expect(incident).toContain('Elevated API error rates');
    expect(incident).not.toMatch(/<form method="post"(?![^>]*\saction=)/);
    // Every page a viewer opens offers no form it could not post (sign-out forms post elsewhere, with action=).
    const offered: string[] = [];
    for (const r of adminSourceRoutes().filter((x) => x.kind === 'page' && x.actions !== null)) {
      const path = concretePath(r.pattern, ids[r.pattern] ?? 'no-such-id');
      if (requiredAccess('GET', path) !== 'viewer' || r.actions!.some((a) => requiredAccess('POST', path, a) === 'viewer')) continue;
      const html = await (await clients.viewer.get(path)).text();
      if (/<form method="post"(?![^>]*\saction=)/.test(html)) offered.push(path);
    }
    expect(offered).toEqual([]);
    const responderHome = await (await clients.responder.get('/admin')).text();
    expect(responderHome).toContain('href="/admin/subscribers"');
    expect(responderHome).not.toContain('id="invite-form"');
    expect(await (await clients.admin.get('/admin/users')).text()).toContain('id="invite-form"');
  });
});

describe('changing roles and removing users', () => {
  it('a role change applies at the next request; every change is audited', async () => {
    const extra = await invite('sam@acme.test', 'responder');
    expect((await extra.post('/admin/incidents/open-api-errors', { action: 'wording', status: 'monitoring' })).status).not.toBe(403);
    const changed = await clients.admin.post('/admin/users', { action: 'role', email: 'sam@acme.test', role: 'viewer' });
    expect(await changed.text()).toContain('sam@acme.test is now viewer.');
    await expectRefused(await extra.post('/admin/incidents/open-api-errors', { action: 'wording' }), 'page', 'responder');
    expect((await extra.get('/admin/incidents')).status).toBe(200);
    // Removed: the session ends at once.
    expect((await clients.admin.post('/admin/users', { action: 'remove', email: 'sam@acme.test' })).status).toBe(200);
    const after = await extra.get('/admin/incidents');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/admin\/login/);
    const audit = await (await clients.admin.get('/admin/audit')).text();
    expect(audit).toContain('user invited');
    expect(audit).toContain('Responder → Viewer');
    expect(audit).toContain('user removed');
  });

  it('the last admin can be neither demoted nor removed, and says why', async () => {
    const demote = await clients.admin.post('/admin/users', { action: 'role', email: ADMIN_EMAIL, role: 'responder' });
    expect(demote.status).toBe(400);
    expect(await demote.text()).toContain('The last admin cannot be demoted');
    const remove = await clients.admin.post('/admin/users', { action: 'remove', email: ADMIN_EMAIL });
    expect(remove.status).toBe(400);
    expect(await remove.text()).toContain('The last admin cannot be removed');
    expect((await clients.admin.get('/admin/users')).status).toBe(200);
  });

  it('two admins demoting each other at the same moment: one succeeds, one admin is left', async () => {
    const second = await invite('second@acme.test', 'admin');
    const [a, b] = await Promise.all([
      clients.admin.post('/admin/users', { action: 'role', email: 'second@acme.test', role: 'viewer' }),
      second.post('/admin/users', { action: 'role', email: ADMIN_EMAIL, role: 'viewer' }),
    ]);
    const statuses = [a.status, b.status].sort();
    // The loser is refused by the last-admin rule (400), or, demoted first, by its new role (403).
    expect(statuses[0]).toBe(200);
    expect([400, 403]).toContain(statuses[1]);
    const users = await (await (statuses[0] === a.status && a.status === 200 ? clients.admin : second).get('/admin/users')).text();
    expect((users.match(/<option value="admin" selected>/g) ?? []).length).toBe(1);
  });

  it('every role may sign out', async () => {
    for (const role of ['viewer', 'responder'] as const) {
      const r = await clients[role].post('/admin/logout', {});
      expect(r.status).toBe(303);
    }
  });
});
