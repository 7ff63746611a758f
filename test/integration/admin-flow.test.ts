// The admin over HTTP against the built server: setup → sign in → incident → updates → resolve → post-mortem.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, setupLinkFrom, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { confirmToken, fillTemplate } from '../helpers/postmortem.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'correct horse battery staple';
let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;
let incidentPath = '';

const text = async (r: Response | Promise<Response>): Promise<string> => (await r).text();
const publicText = async (path: string): Promise<string> => text(server.get(path));
/** Today's wall-clock in UTC (the fixture site's zone) as a datetime-local value, offset by minutes. */
const local = (offsetMinutes = 0): string => new Date(Date.now() + offsetMinutes * 60_000).toISOString().slice(0, 16);

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir });
  admin = adminClient(server);
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

describe('first admin and sign-in', () => {
  it('redirects to sign-in without a session, and never caches admin pages publicly', async () => {
    const r = await server.get('/admin/incidents');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fincidents');
    const login = await server.get('/admin/login');
    expect(login.headers.get('cache-control')).toBe('private, no-store');
  });

  it('creates the first admin only through the printed one-time setup link', async () => {
    const link = new URL(setupLinkFrom(server.output()));
    expect((await server.get('/admin/setup?token=wrong')).status).toBe(404);
    const short = await admin.post(link.pathname + link.search, { email: 'oncall@acme.test', password: 'short', confirm: 'short' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('at least 12 characters');
    const ok = await admin.post(link.pathname + link.search, { email: 'oncall@acme.test', password: PASSWORD, confirm: PASSWORD });
    expect(ok.status).toBe(303);
    expect(admin.cookie).toMatch(/^kaizen_session=\w+/);
    const again = await server.get(link.pathname + link.search);
    expect(again.status).toBe(404);
    expect(await text(admin.get('/admin'))).toContain('Dashboard');
  });

  it('sets an HttpOnly, SameSite=Lax, Path=/ cookie on sign-in; unknown email and wrong password get the same answer', async () => {
    const visitor = adminClient(server);
    const wrong = await visitor.post('/admin/login', { email: 'oncall@acme.test', password: 'not the password!!' });
    const unknown = await visitor.post('/admin/login', { email: 'nobody@acme.test', password: 'not the password!!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const bodyOf = async (r: Response): Promise<string> => (await r.text()).match(/<p class="form-error"[^>]*>(.*?)<\/p>/)?.[1] ?? '';
    expect(await bodyOf(wrong)).toBe(await bodyOf(unknown));
    const good = await visitor.post('/admin/login?next=%2Fadmin%2Fcomponents', { email: 'ONCALL@acme.test', password: PASSWORD });
    expect(good.status).toBe(303);
    expect(good.headers.get('location')).toBe('/admin/components');
    const cookie = good.headers.getSetCookie().find((c) => c.startsWith('kaizen_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
  });
});

describe('posting an incident from the web', () => {
  it('refuses bad input with per-field messages and keeps what was typed', async () => {
    const r = await admin.post('/admin/incidents/new', {
      title: 'Checkout failing',
      severity: 'P1',
      'component.api': 'major_outage',
      'component.ghost': 'major_outage',
      detected: local(-10),
      acknowledged: local(-20),
      message: 'We are investigating reports of [issue].\nUpdates will be provided every 15 minutes.',
      notify: 'auto',
    });
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain('Replace the template placeholder [issue]');
    expect(html).toContain('Acknowledged cannot be before detected');
    expect(html).toMatch(/Unknown component (&#39;|')ghost/);
    expect(html).toContain('value="Checkout failing"');
    expect(html).toMatch(/<option value="major_outage" selected>/);
    const future = await admin.post('/admin/incidents/new', { title: 'x', severity: 'P2', detected: local(60 * 25), message: 'Hello' });
    expect(await future.text()).toContain('more than 24 hours in the future');
    expect(await publicText('/')).not.toContain('Checkout failing');
  });

  it('posts a P1 incident that appears on every public page within a second', async () => {
    const r = await admin.post('/admin/incidents/new', {
      title: 'Checkout failing',
      severity: 'P1',
      'component.dashboard': 'major_outage',
      detected: local(-10),
      acknowledged: local(-5),
      message: 'We are investigating reports of failed checkouts.\nUpdates will be provided every 15 minutes.',
      notify: 'auto',
    });
    expect(r.status).toBe(303);
    incidentPath = r.headers.get('location')!.replace(/\?.*/, '');
    expect(incidentPath).toMatch(/^\/admin\/incidents\/\d{4}-\d\d-\d\d-checkout-failing$/);
    const id = incidentPath.split('/').pop()!;
    await eventually(async () => {
      const home = await publicText('/');
      expect(home).toContain('Checkout failing');
      expect(home).toMatch(/Dashboard[\s\S]*?status-major_outage">Major outage/);
    }, 1000);
    expect(await publicText(`/incidents/${id}`)).toContain('We are investigating reports of failed checkouts.');
    expect(await publicText('/history')).toContain('Checkout failing');
    const dash = await text(admin.get('/admin'));
    expect(dash).toContain('Checkout failing');
    expect(dash).toMatch(/Acknowledged after 5 min, within 1 h/);
    expect(dash).toContain('Next public update');
  });

  it('shows the P1 escalation path and records who was told', async () => {
    const before = await text(admin.get(incidentPath));
    for (const role of ['On-call engineer', 'Engineering manager', 'VP Engineering', 'CTO']) expect(before).toContain(role);
    expect(before).toMatch(/On-call engineer<\/strong> — due <time[^>]*>[^<]*<\/time> <span class="overdue">not yet told/);
    const r = await admin.post(incidentPath, { action: 'escalate', role: 'on_call', who: 'Dana (primary on-call)', at: local(-4) });
    expect(r.status).toBe(303);
    const after = await text(admin.get(incidentPath));
    expect(after).toContain('Told Dana (primary on-call)');
    expect(after).toMatch(/Engineering manager<\/strong> — due <time[^>]*>[^<]*<\/time> <span class="hint">not due yet/);
  });

  it('posts updates, refuses placeholders, resolves back to baseline, then refuses updates until reopened', async () => {
    const left = await admin.post(incidentPath, { action: 'update', status: 'identified', message: 'We have identified the cause as [root cause].\nWorking on mitigation. ETA: [time]' });
    expect(left.status).toBe(400);
    expect(await left.text()).toContain('[root cause], [time]');
    const identified = await admin.post(incidentPath, { action: 'update', status: 'identified', message: 'We have identified the cause as a full disk on the payments database.\nWorking on mitigation. ETA: 20 minutes', 'component.dashboard': 'partial_outage' });
    expect(identified.status).toBe(303);
    const monitoring = await admin.post(incidentPath, { action: 'update', status: 'monitoring', message: 'A fix has been applied and we are monitoring the results.' });
    expect(monitoring.status).toBe(303);
    const id = incidentPath.split('/').pop()!;
    const page = await publicText(`/incidents/${id}`);
    expect(page.indexOf('Monitoring')).toBeLessThan(page.indexOf('full disk on the payments database'));
    expect(page).toMatch(/Dashboard: <span class="status status-partial_outage">/);
    const resolved = await admin.post(incidentPath, { action: 'update', status: 'resolved', message: 'Issue has been resolved. All systems operational.\nPost-mortem will be published within 48 hours.' });
    expect(resolved.status).toBe(303);
    const home = await publicText('/');
    expect(home).toMatch(/Dashboard[\s\S]*?status-operational">Operational/);
    expect(home).not.toContain('id="active-incidents"><!--');
    const after = await admin.post(incidentPath, { action: 'update', status: 'monitoring', message: 'Still watching.' });
    expect(after.status).toBe(400);
    expect(await after.text()).toContain('Reopen it before posting');
  });

  it('writes the post-mortem from the runbook template filled from the incident, then publishes it', async () => {
    const id = incidentPath.split('/').pop()!;
    const editor = await text(admin.get(`/admin/postmortems/${id}`));
    expect(editor).toContain('## Summary');
    expect(editor).toContain('**Severity**: P1');
    expect(editor).toContain('## Timeline');
    expect(editor).toMatch(/Alert triggered/);
    expect(editor).toMatch(/Root cause identified/);
    expect(editor).toContain('## Action Items');
    const body = (editor.match(/<textarea class="tall" id="body" name="body"[^>]*>([\s\S]*?)<\/textarea>/)?.[1] ?? '')
      .replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'");
    expect(body.length).toBeGreaterThan(200);
    const draft = await admin.post(`/admin/postmortems/${id}`, { action: 'save', title: 'Checkout outage post-mortem', body });
    expect(draft.status).toBe(303);
    expect((await server.get(`/postmortems/${id}`)).status).toBe(404);
    const refused = await admin.post(`/admin/postmortems/${id}`, { action: 'publish', title: 'Checkout outage post-mortem', body });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Not published, and nothing was emailed');
    const filled = fillTemplate(body);
    const ask = await admin.post(`/admin/postmortems/${id}`, { action: 'publish', title: 'Checkout outage post-mortem', body: filled });
    expect(ask.status).toBe(200);
    const confirmed = confirmToken(await ask.text());
    expect(confirmed).not.toBeNull();
    const publish = await admin.post(`/admin/postmortems/${id}`, { action: 'confirm', title: 'Checkout outage post-mortem', body: filled, confirmed: confirmed! });
    expect(publish.status).toBe(303);
    const pm = await publicText(`/postmortems/${id}`);
    expect(pm).toContain('Checkout outage post-mortem');
    expect(pm).toContain('<h2>Timeline');
    expect(await publicText(`/incidents/${id}`)).toContain(`href="/postmortems/${id}"`);
    const audit = await text(admin.get('/admin/audit'));
    for (const action of ['sign in', 'incident created', 'incident updated', 'incident resolved', 'postmortem published']) expect(audit).toContain(action);
  });
});

describe('requests that must change nothing', () => {
  const attempt = { title: 'Should not exist', severity: 'P2', message: 'We are investigating reports of nothing.' };

  it('a cross-origin POST, a POST without Origin, and a POST without a session', async () => {
    const cross = await admin.post('/admin/incidents/new', attempt, { origin: 'https://evil.test' });
    expect(cross.status).toBe(403);
    const noOrigin = await admin.post('/admin/incidents/new', attempt, { origin: null });
    expect(noOrigin.status).toBe(403);
    const anonymous = await admin.post('/admin/incidents/new', attempt, { cookie: null });
    expect([303, 401, 403]).toContain(anonymous.status);
    expect(await publicText('/history')).not.toContain('Should not exist');
  });

  it('signing out ends the session on the server; sign out everywhere ends them all', async () => {
    const a = adminClient(server);
    const b = adminClient(server);
    await a.post('/admin/login', { email: 'oncall@acme.test', password: PASSWORD });
    await b.post('/admin/login', { email: 'oncall@acme.test', password: PASSWORD });
    const stolen = a.cookie;
    await a.post('/admin/logout', {});
    expect((await server.get('/admin', { headers: { cookie: stolen! } })).status).toBe(303);
    expect((await b.get('/admin')).status).toBe(200);
    const bCookie = b.cookie;
    await admin.post('/admin/logout', { everywhere: '1' });
    expect((await server.get('/admin', { headers: { cookie: bCookie! } })).status).toBe(303);
    const after = await server.get('/admin/incidents/new', { method: 'POST', headers: { cookie: bCookie!, origin: new URL(server.url).origin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(attempt) });
    expect(after.status).toBe(303);
    expect(await publicText('/history')).not.toContain('Should not exist');
    await admin.post('/admin/login', { email: 'oncall@acme.test', password: PASSWORD });
  });

  it('throttles more than 5 failed sign-ins for an account with 429 and Retry-After', async () => {
    const v = adminClient(server);
    for (let i = 0; i < 5; i++) expect((await v.post('/admin/login', { email: 'victim@acme.test', password: `guess number ${i}!!` })).status).toBe(401);
    const blocked = await v.post('/admin/login', { email: 'victim@acme.test', password: 'guess number 6!!' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await v.post('/admin/login', { email: 'oncall@acme.test', password: PASSWORD })).status).toBe(303);
  });

  it('an expired session is refused and deleted; one used in its last 15 days is extended to 30', async () => {
    const c = adminClient(server);
    await c.post('/admin/login', { email: 'oncall@acme.test', password: PASSWORD });
    const sqlite = new Database(path.join(server.dataDir, 'status.db'));
    try {
      const day = 86_400_000;
      sqlite.prepare('update user_session set expires_at = ?').run(new Date(Date.now() + 10 * day).toISOString());
      const renewed = await c.get('/admin');
      expect(renewed.status).toBe(200);
      const cookie = renewed.headers.getSetCookie().find((x) => x.startsWith('kaizen_session='));
      expect(cookie).toBeDefined();
      const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie!)![1]!);
      expect(expires).toBeGreaterThan(Date.now() + 29 * day);
      const stored = sqlite.prepare('select max(expires_at) as e from user_session').get() as { e: string };
      expect(Date.parse(stored.e)).toBeGreaterThan(Date.now() + 29 * day);
      sqlite.prepare('update user_session set expires_at = ?').run(new Date(Date.now() - 1000).toISOString());
      const sessions = (): number => (sqlite.prepare('select count(*) as n from user_session').get() as { n: number }).n;
      const before = sessions();
      const expired = await c.post('/admin/incidents/new', { title: 'Expired session post', severity: 'P2', message: 'We are investigating reports of nothing.' });
      expect(expired.status).toBe(303);
      expect(expired.headers.get('location')).toMatch(/^\/admin\/login/);
      expect(sessions()).toBe(before - 1);
      expect(await publicText('/history')).not.toContain('Expired session post');
    } finally {
      sqlite.close();
    }
    await admin.post('/admin/login', { email: 'oncall@acme.test', password: PASSWORD });
  });

  it('throttles more than 20 failed sign-ins from one address, whatever the accounts', async () => {
    const sqlite = new Database(path.join(server.dataDir, 'status.db'), { readonly: true });
    const earlier = (sqlite.prepare('select count(*) as n from sign_in_attempt').get() as { n: number }).n;
    sqlite.close();
    const v = adminClient(server);
    const statuses: number[] = [];
    for (let i = 0; i <= 20 - earlier; i++) statuses.push((await v.post('/admin/login', { email: `spray${i}@acme.test`, password: 'password spraying!' })).status);
    expect(statuses.slice(0, 20 - earlier).every((s) => s === 401)).toBe(true);
    expect(statuses[20 - earlier]).toBe(429);
  });
});
