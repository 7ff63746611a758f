// site.yaml `visibility: private` (decision record 020): every public route (walked from src/pages, so a new one
// fails here until it is listed) answers 401 (the private page, or a short JSON/text answer) without a session or a
// reader pass, and its content with one; links by email through the fake Resend (the same answer for every address,
// single use, 15 minutes, no token in the database); the cache never hands one reader's answer to another, on and
// off; health, admin and webhooks stay open; export refused; a bad visibility closes the site; public opens it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../helpers/admin-client.ts';
import { emailEnv, firstAdmin, outboxIdle, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeEmail, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { publicRoutes } from '../helpers/page-routes.ts';

const root = path.resolve(import.meta.dirname, '../..');
const now = Date.now();

/** Words from the fixture's components, incidents, maintenance and post-mortem: none may reach the anonymous. */
const content = ['Public API', 'Documentation', 'Elevated API error rates', 'Dashboard unavailable', 'bad deploy', 'Database upgrade', 'Dashboard outage post-mortem', 'Vault Ledger Qx9'];
/** The team-only component: not even a reader sees it. */
const internalName = 'Vault Ledger Qx9';

const components = `
- id: core
  name: Core
  components:
    - { id: api, name: Public API, description: REST endpoints }
    - { id: dashboard, name: Dashboard }
    - { id: secret-db-7f3a, name: ${internalName}, audience: internal }
- { id: docs, name: Documentation }
`;
const privateSite = 'name: Acme Cloud\nurl: https://status.acme.test\ntimezone: UTC\nlanguages: [en, de]\nshow_reliability: true\nvisibility: private\nprivate_access:\n  allowed_domains: [allowed.test, Example.ORG]\n';

/** Concrete paths behind the door for each public route; [] for the routes that stay open (listed in `open`). */
const gated: Record<string, string[]> = {
  '/': ['/', '/de/', '/?component=api'],
  '/404': ['/no-such-page'],
  '/history': ['/history', '/de/history', '/history?component=api'],
  '/history/page/[n]': ['/history/page/2'],
  '/incidents/[id]': ['/incidents/open-api-errors', '/incidents/old-dashboard-outage'],
  '/maintenance/[id]': ['/maintenance/db-upgrade'],
  '/maintenance/[id].ics': ['/maintenance/db-upgrade.ics'],
  '/maintenance.ics': ['/maintenance.ics'],
  '/postmortems': ['/postmortems'],
  '/postmortems/[id]': ['/postmortems/old-dashboard-outage'],
  '/reliability': ['/reliability'],
  '/subscribe': ['/subscribe'],
  '/subscribe/confirm/[token]': ['/subscribe/confirm/aaaaaaaaaaaaaaaaaaaaaaaa'],
  '/subscribe/channel/[token]': ['/subscribe/channel/aaaaaaaaaaaaaaaaaaaaaaaa'],
  '/manage/[token]': ['/manage/aaaaaaaaaaaaaaaaaaaaaaaa'],
  '/unavailable': ['/unavailable'],
  '/history.atom': ['/history.atom'],
  '/history.rss': ['/history.rss'],
  '/badge.svg': ['/badge.svg'],
  '/components/[id]/badge.svg': ['/components/api/badge.svg'],
  '/components/[id]/history.atom': ['/components/dashboard/history.atom'],
  '/components/[id]/history.rss': ['/components/dashboard/history.rss'],
  '/api/[...path]': ['/api/v2/nothing-here.json'],
  '/api/v2/components.json': ['/api/v2/components.json'],
  '/api/v2/incidents.json': ['/api/v2/incidents.json'],
  '/api/v2/incidents/unresolved.json': ['/api/v2/incidents/unresolved.json'],
  '/api/v2/scheduled-maintenances.json': ['/api/v2/scheduled-maintenances.json'],
  '/api/v2/scheduled-maintenances/active.json': ['/api/v2/scheduled-maintenances/active.json'],
  '/api/v2/scheduled-maintenances/upcoming.json': ['/api/v2/scheduled-maintenances/upcoming.json'],
  '/api/v2/status.json': ['/api/v2/status.json'],
  '/api/v2/summary.json': ['/api/v2/summary.json'],
  '/api/v1/components/[id].json': ['/api/v1/components/dashboard.json'],
  '/api/v1/incidents.json': ['/api/v1/incidents.json?days=90'],
  '/api/v1/incidents/[id].json': ['/api/v1/incidents/open-api-errors.json'],
  '/api/v1/postmortems.json': ['/api/v1/postmortems.json'],
  '/api/v1/uptime.json': ['/api/v1/uptime.json?days=90'],
};
/** Routes that answer without a pass: the door itself, signed webhooks, the manage API (its key), one-click unsubscribe. */
const open: Record<string, string> = {
  '/private': 'the private page itself',
  '/private/open/[token]': 'the link from the email',
  '/private/forget': 'Forget this browser (POST)',
  '/unsubscribe/[token]': 'RFC 8058 one-click unsubscribe from emails that still go out; shows no status',
  '/api/v1/alerts/alertmanager': 'signed alert webhook',
  '/api/v1/alerts/webhook': 'signed alert webhook',
  '/api/webhooks/resend': 'signed Resend webhook',
  '/api/v1/pages/[page_id]/[...path]': 'the manage API: an API key',
};
const allGated = Object.values(gated).flat();
const isHtml = (p: string): boolean => !/^\/api\/|\.(json|atom|rss|svg|ics)(\?|$)/.test(p);

function leaks(text: string): string[] {
  return content.filter((s) => text.includes(s));
}

/** The local path of the reader link in an email. */
function readerLink(email: FakeEmail): string {
  const m = /https?:\/\/[^/\s]+(\/private\/open\/[a-z2-7]+(?:\?next=[^\s)\]]+)?)/.exec(email.text);
  if (!m) throw new Error(`no reader link in:\n${email.text}`);
  return m[1]!;
}

describe('every public route is walked', () => {
  it('each page and endpoint outside /admin is either behind the door (with paths) or listed as open with its reason', () => {
    const listed = new Set([...Object.keys(gated), ...Object.keys(open)]);
    expect(publicRoutes().filter((r) => !listed.has(r)), 'add these routes to `gated` or `open`').toEqual([]);
    expect([...listed].filter((r) => !publicRoutes().includes(r)), 'these routes no longer exist').toEqual([]);
  });
});

describe.each(['on', 'off'] as const)('a private site with the response cache %s', (cacheMode) => {
  let fixture: Fixture;
  let fake: FakeResend;
  let server: RunningServer;
  let admin: AdminClient;
  let exportDir: string;
  let ipCounter = 0;
  /** Each test asks from its own client address (TRUST_PROXY), so the per-client throttle counts only its own. */
  const newIp = (): string => `198.51.100.${++ipCounter}`;
  const anonymous = (p: string, cookie?: string): Promise<Response> => server.get(p, cookie ? { headers: { cookie } } : {});
  const ask = (email: string, ip: string, next = '/'): Promise<Response> => server.get('/private', {
    method: 'POST', body: new URLSearchParams([['email', email], ['next', next]]),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(server.url).origin, 'x-forwarded-for': ip },
  });
  const postLink = (link: string, cookie?: string): Promise<Response> => {
    const u = new URL(link, server.url);
    return server.get(u.pathname, {
      method: 'POST', body: new URLSearchParams([['next', u.searchParams.get('next') ?? '/']]),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(server.url).origin, ...(cookie ? { cookie } : {}) },
    });
  };
  /** Asks for a link for an allowed address and opens it: the reader's cookie. */
  async function readerPass(email: string): Promise<string> {
    const before = fake.deliveredTo(email).length;
    expect((await ask(email, newIp())).status).toBe(200);
    await eventually(async () => expect(fake.deliveredTo(email).length).toBe(before + 1), 30_000);
    const r = await postLink(readerLink(fake.deliveredTo(email).at(-1)!));
    expect(r.status).toBe(303);
    return r.headers.getSetCookie().find((c) => c.startsWith('kaizen_reader='))!.split(';')[0]!;
  }
  /** The database file and its WAL as anyone reading the disk would see them. */
  const rawBytes = (): string => {
    const file = path.join(server.dataDir, 'status.db');
    return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f))).toString('latin1');
  };

  beforeAll(async () => {
    fixture = createFixture(now);
    fixture.write('components.yaml', components);
    fixture.write('site.yaml', privateSite);
    exportDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-private-export-')), 'site');
    fake = await startFakeResend();
    server = await startServer({
      contentDir: fixture.dir,
      env: emailEnv(fake, { RESPONSE_CACHE: cacheMode, TRUST_PROXY: '127.0.0.1', STATIC_EXPORT_DIR: exportDir }),
    });
    admin = await firstAdmin(server);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    if (exportDir) fs.rmSync(path.dirname(exportDir), { recursive: true, force: true });
    fixture?.cleanup();
  });

  it('answers every public path without a session or pass with 401 and none of the content, uncached and unindexed', async () => {
    const problems: string[] = [];
    for (const cookie of [undefined, 'kaizen_reader=not-a-real-pass', 'kaizen_session=not-a-real-session']) {
      for (const p of allGated) {
        // Twice: a cached copy would show on the second.
        for (const _ of [1, 2]) {
          const r = await anonymous(p, cookie);
          const body = await r.text();
          const where = `${p}${cookie ? ` (${cookie.split('=')[0]})` : ''}`;
          if (r.status !== 401) problems.push(`${where}: ${r.status}`);
          for (const s of leaks(body)) problems.push(`${where}: ${s}`);
          if (r.headers.get('cache-control') !== 'private, no-store') problems.push(`${where}: cache-control ${r.headers.get('cache-control')}`);
          if (r.headers.get('x-robots-tag') !== 'noindex') problems.push(`${where}: no X-Robots-Tag`);
          if (r.headers.get('x-cache')) problems.push(`${where}: x-cache ${r.headers.get('x-cache')}`);
          if (isHtml(p) && !(body.includes('This status page is private') || body.includes('Diese Statusseite ist privat'))) problems.push(`${where}: not the private page`);
          if (isHtml(p) && !body.includes('name="email"')) problems.push(`${where}: no email form`);
          if (!isHtml(p) && body.includes('<html')) problems.push(`${where}: HTML to a machine`);
        }
      }
    }
    expect(problems).toEqual([]);
    const api = await anonymous('/api/v2/summary.json');
    expect(api.headers.get('content-type')).toContain('application/json');
    expect(await api.json()).toMatchObject({ error: 'private' });
    // The page asked for is where the link will lead, in its language.
    const de = await (await anonymous('/de/history?component=api')).text();
    expect(de).toContain('value="/de/history?component=api"');
    expect(de).toContain('Link senden');
  }, 120_000);

  it('keeps health, robots, admin sign-in, static files and signed webhooks open', async () => {
    expect((await anonymous('/healthz')).status).toBe(200);
    expect((await anonymous('/readyz')).status).toBe(200);
    const robots = await anonymous('/robots.txt');
    expect(await robots.text()).toBe('User-agent: *\nDisallow: /\n');
    expect(robots.headers.get('x-robots-tag')).toBe('noindex');
    expect((await anonymous('/admin/login')).status).toBe(200);
    expect((await anonymous('/favicon.svg')).status).toBe(200);
    // An unsigned webhook is refused by its signature check, not by the door.
    const hook = await server.get('/api/webhooks/resend', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect([400, 401, 403]).toContain(hook.status);
    expect(await hook.text()).not.toContain('This status page is private');
    // The manage API answers by its API key.
    const manage = await anonymous('/api/v1/pages/acme/incidents');
    expect(manage.status).toBe(401);
    expect(await manage.text()).not.toContain('"private"');
  });

  it('answers the same for an allowed and a not-allowed address, and emails only the allowed one a link that works once', async () => {
    const ip = newIp();
    const allowed = await ask('Reader@Allowed.test', ip, '/history');
    const stranger = await ask('stranger@elsewhere.test', ip, '/history');
    const sub = await ask('someone@sub.allowed.test', ip, '/history');
    const [a, b, c] = [await allowed.text(), await stranger.text(), await sub.text()];
    expect([allowed.status, stranger.status, sub.status]).toEqual([200, 200, 200]);
    expect(a).toContain('If this address may read the page, a link is on its way');
    expect(b).toBe(a);
    expect(c).toBe(a);
    await eventually(async () => expect(fake.deliveredTo('reader@allowed.test')).toHaveLength(1), 30_000);
    await outboxIdle(server);
    expect(fake.deliveredTo('stranger@elsewhere.test')).toEqual([]);
    expect(fake.deliveredTo('someone@sub.allowed.test')).toEqual([]);
    const mail = fake.deliveredTo('reader@allowed.test')[0]!;
    expect(mail.subject).toBe('Your link to the Acme Cloud status page');
    expect(leaks(`${mail.html}\n${mail.text}`)).toEqual([]);
    const link = readerLink(mail);
    expect(link).toContain('next=%2Fhistory');
    const token = new URL(link, server.url).pathname.split('/').pop()!;

    // Opening the email's link (a GET, as a mail scanner would) uses nothing; the button does.
    const shown = await anonymous(link);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Open the status page');
    const opened = await postLink(link);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/history');
    const set = opened.headers.getSetCookie().find((s) => s.startsWith('kaizen_reader='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\//);
    expect(set).toMatch(/Expires=/);
    const cookie = set.split(';')[0]!;
    const history = await anonymous('/history', cookie);
    expect(history.status).toBe(200);
    expect(await history.text()).toContain('Dashboard unavailable');

    // Used once: the same link again, in this browser or another, opens nothing.
    const again = await postLink(link);
    expect(again.status).toBe(400);
    expect(again.headers.getSetCookie().some((s) => s.startsWith('kaizen_reader=') && !s.startsWith('kaizen_reader=;'))).toBe(false);
    expect(await again.text()).toContain('This link no longer works');

    // Hashed at rest: neither the link's token nor the pass's is anywhere in the database file or its WAL.
    const passToken = cookie.split('=')[1]!;
    await eventually(async () => {
      const bytes = rawBytes();
      expect(bytes.includes(token)).toBe(false);
      expect(bytes.includes(passToken)).toBe(false);
    }, 30_000);
    expect(query<{ n: number }>(server, 'select count(*) as n from reader_pass where email = ?', 'reader@allowed.test')[0]!.n).toBe(1);
  }, 90_000);

  it('lets a link expire 15 minutes after it was asked for', async () => {
    expect((await ask('late@example.org', newIp())).status).toBe(200);
    await eventually(async () => expect(fake.deliveredTo('late@example.org')).toHaveLength(1), 30_000);
    const link = readerLink(fake.deliveredTo('late@example.org')[0]!);
    // The token's age: its outbox row says it was asked for 16 minutes ago.
    const db = new Database(path.join(server.dataDir, 'status.db'));
    db.pragma('busy_timeout = 10000');
    db.prepare('update email_outbox set created_at = ? where to_address = ?').run(new Date(Date.now() - 16 * 60_000).toISOString(), 'late@example.org');
    db.close();
    expect((await anonymous(link)).status).toBe(400);
    const r = await postLink(link);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('Ask for a new one below');
    expect(r.headers.getSetCookie().filter((s) => s.startsWith('kaizen_reader=') && !/^kaizen_reader=;/.test(s))).toEqual([]);
  }, 60_000);

  it('throttles per address and per client address alike for allowed and other addresses, without saying which', async () => {
    for (const email of ['busy@allowed.test', 'busy@elsewhere.test']) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await ask(email, newIp())).status);
      expect(statuses, email).toEqual([200, 200, 200, 429]);
    }
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await ask(`spray${i}@elsewhere.test`, ip)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const r = await ask('fresh@allowed.test', ip);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await r.text()).toContain('value="fresh@allowed.test"');
  }, 60_000);

  it('shows a reader every public page, the public view only, never cached for the anonymous', async () => {
    // The anonymous ask first, so a cache would have their answer when the reader comes.
    for (const p of allGated) expect((await anonymous(p)).status, p).toBe(401);
    const cookie = await readerPass('pages@allowed.test');
    const problems: string[] = [];
    for (const p of allGated) {
      const r = await anonymous(p, cookie);
      const body = await r.text();
      if (r.status === 401) problems.push(`${p}: 401 with a pass`);
      if (body.includes(internalName) || body.includes('secret-db-7f3a')) problems.push(`${p}: team-only item`);
      if (r.headers.get('cache-control') !== 'private, no-store') problems.push(`${p}: cache-control ${r.headers.get('cache-control')}`);
      if (r.headers.get('x-robots-tag') !== 'noindex') problems.push(`${p}: no X-Robots-Tag`);
    }
    expect(problems).toEqual([]);
    const home = await (await anonymous('/', cookie)).text();
    for (const s of ['Elevated API error rates', 'Public API', 'Documentation', 'Forget this browser']) expect(home).toContain(s);
    expect(await (await anonymous('/api/v2/summary.json', cookie)).json()).toMatchObject({ page: { name: 'Acme Cloud' } });
    // And after the reader, the anonymous still get the door.
    for (const p of ['/', '/history', '/api/v2/summary.json', '/badge.svg']) {
      const r = await anonymous(p);
      expect(r.status, p).toBe(401);
      expect(leaks(await r.text()), p).toEqual([]);
    }
  }, 90_000);

  it('shows a signed-in admin the team view, and the anonymous after them still the door', async () => {
    const home = await admin.get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(internalName);
    const after = await anonymous('/');
    expect(after.status).toBe(401);
    expect(leaks(await after.text())).toEqual([]);
    const dash = await (await admin.get('/admin')).text();
    expect(dash).toContain('This site is private.');
    expect(dash).toContain('allowed.test, example.org');
  });

  it('forgets the browser: the pass ends and its cookie goes', async () => {
    const cookie = await readerPass('forget@allowed.test');
    expect((await anonymous('/', cookie)).status).toBe(200);
    const r = await server.get('/private/forget', { method: 'POST', headers: { cookie, origin: new URL(server.url).origin, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/private');
    expect(r.headers.getSetCookie().some((s) => /^kaizen_reader=;/.test(s))).toBe(true);
    expect((await anonymous('/', cookie)).status).toBe(401);
  }, 60_000);

  it('makes no static copy while private, says why in the log and in admin', async () => {
    await eventually(async () => expect(server.output()).toContain('no static copy is made or pushed'), 30_000);
    expect(fs.existsSync(exportDir) && fs.readdirSync(exportDir).some((f) => f.endsWith('.html'))).toBe(false);
    const mirror = await (await admin.get('/admin/mirror')).text();
    expect(mirror).toContain('This site is private.');
    expect(mirror).toContain('No static copy is made or pushed');
  }, 40_000);

  it('closes the site on a visibility it cannot read, and opens it when site.yaml says public', async () => {
    fixture.write('site.yaml', privateSite.replace('visibility: private', 'visibility: secret'));
    await eventually(async () => expect((await admin.get('/admin')).status).toBe(200));
    // Still closed (fail closed), and admin's content problems name the field.
    await eventually(async () => expect(server.output()).toContain('site.yaml visibility: must be one of public, private'), 10_000);
    expect((await anonymous('/')).status).toBe(401);
    fixture.write('site.yaml', privateSite.replace('visibility: private\n', '').replace(/private_access:\n.*\n/, ''));
    await eventually(async () => expect((await anonymous('/')).status).toBe(200), 10_000);
    const home = await anonymous('/');
    expect(await home.text()).toContain('Elevated API error rates');
    if (cacheMode === 'on') expect((await anonymous('/')).headers.get('x-cache')).toBe('hit');
    expect((await anonymous('/private')).status).toBe(404);
    expect(await (await anonymous('/robots.txt')).text()).not.toContain('Disallow: /\n');
    expect((await anonymous('/')).headers.get('x-robots-tag')).toBeNull();
  }, 60_000);
});

describe('npm run export and content:check on a private site', () => {
  it('refuses to export, and content:check names a bad visibility', () => {
    const fixture = createFixture(now);
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-private-cli-'));
    try {
      fixture.write('site.yaml', privateSite);
      const env = { ...process.env, SKIP_BUILD: '1', CONTENT_DIR: fixture.dir, DATABASE_URL: path.join(data, 'status.db') };
      const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/export.ts', path.join(data, 'site')], { cwd: root, env, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('npm run export: refused: the site is private');
      expect(fs.existsSync(path.join(data, 'site'))).toBe(false);
      fixture.write('site.yaml', privateSite.replace('visibility: private', 'visibility: Private'));
      const check = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/content-check.ts', fixture.dir], { cwd: root, encoding: 'utf8' });
      expect(check.status).not.toBe(0);
      expect(`${check.stdout}${check.stderr}`).toMatch(/site\.yaml.*visibility.*must be one of public, private/);
    } finally {
      fixture.cleanup();
      fs.rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
