// Team-only components and incidents do not exist for the public: every public route (walked from src/pages, so a
// new one fails here until it is listed), every API, feed, badge and calendar path, the static export's files and
// the emails a public subscriber gets never contain their ids, names or titles; a signed-in user sees them. The
// response cache never hands one view to the other reader, with the cache on and off.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../helpers/admin-client.ts';
import { emailEnv, firstAdmin, linkPath, outboxIdle, postForm } from '../helpers/email-flow.ts';
import { startReceiver, type Receiver } from '../helpers/channel-receiver.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { manifestAfter } from '../helpers/static-export.ts';
import { publicRoutes } from '../helpers/page-routes.ts';

const root = path.resolve(import.meta.dirname, '../..');
const now = Date.now();

/** Every id, name and title that only the team may see. */
const secrets = [
  'secret-db-7f3a', 'Vault Ledger Qx9',
  'hidden-grp-5c1d', 'Backroom Group Zw3', 'hidden-member-8e2b', 'Member Kp4',
  'internal-outage-4b9e', 'Ledger Meltdown Yy7',
  'auto-internal-9d2c', 'Silent Failover Ww2',
  'hidden-maint-3f6a', 'Quiet Patch Rr5',
  'Ledger Retro Tt8',
];

/** An id of the same shape that never existed. */
const unknownLike = (id: string): string => id.replace(/[a-z0-9]/g, 'q');

function leaks(text: string): string[] {
  return secrets.filter((s) => text.includes(s));
}

const components = `
- id: core
  name: Core
  components:
    - { id: api, name: Public API, description: REST endpoints }
    - { id: dashboard, name: Dashboard }
    - { id: secret-db-7f3a, name: Vault Ledger Qx9, audience: internal }
- { id: docs, name: Documentation }
- id: hidden-grp-5c1d
  name: Backroom Group Zw3
  audience: internal
  components:
    - { id: hidden-member-8e2b, name: Member Kp4 }
`;

/** The incidents and maintenance, written once a public subscriber is confirmed (so their emails are due). */
function writeNews(fixture: Fixture): void {
  const incident = (id: string, head: string, message: string): void => fixture.write(`incidents/${id}.md`, `---
${head}
detected: ${iso(now - 30 * MINUTE)}
updates:
  - at: ${iso(now - 20 * MINUTE)}
    status: investigating
    message: ${message}
---
`);
  incident('internal-outage-4b9e', 'title: Ledger Meltdown Yy7\nseverity: P1\naudience: internal\ncomponents:\n  api: major_outage', 'Looking into it.');
  incident('auto-internal-9d2c', 'title: Silent Failover Ww2\nseverity: P0\ncomponents:\n  secret-db-7f3a: major_outage', 'Failing over.');
  incident('mixed-public-1a2b', 'title: Public API slowness\nseverity: P1\ncomponents:\n  dashboard: degraded_performance\n  secret-db-7f3a: major_outage\n  hidden-member-8e2b: partial_outage', 'The dashboard is slow.');
  fixture.write('postmortems/internal-outage-4b9e.md', `---
incident: internal-outage-4b9e
title: Ledger Retro Tt8
published: ${iso(now - 10 * MINUTE)}
---
What happened.
`);
  fixture.write('maintenance/hidden-maint-3f6a.md', `---
title: Quiet Patch Rr5
components: [secret-db-7f3a]
scheduled_start: ${iso(now + 2 * HOUR)}
scheduled_end: ${iso(now + 3 * HOUR)}
---
Patching.
`);
}

/** Concrete paths for each public route; the internal ids are asked for too, and must be a 404 like any unknown one. */
const known: Record<string, string> = {};
const pathsFor: Record<string, () => string[]> = {
  '/': () => ['/', '/?component=secret-db-7f3a'],
  '/404': () => ['/no-such-page'],
  '/history': () => ['/history', '/history?component=secret-db-7f3a', '/history?component=api'],
  '/history/page/[n]': () => ['/history/page/2'],
  '/incidents/[id]': () => ['/incidents/mixed-public-1a2b', '/incidents/open-api-errors', '/incidents/internal-outage-4b9e', '/incidents/auto-internal-9d2c'],
  '/maintenance/[id]': () => ['/maintenance/db-upgrade', '/maintenance/hidden-maint-3f6a'],
  '/maintenance/[id].ics': () => ['/maintenance/db-upgrade.ics', '/maintenance/hidden-maint-3f6a.ics'],
  '/maintenance.ics': () => ['/maintenance.ics'],
  '/postmortems': () => ['/postmortems'],
  '/postmortems/[id]': () => ['/postmortems/old-dashboard-outage', '/postmortems/internal-outage-4b9e'],
  '/reliability': () => ['/reliability'],
  '/subscribe': () => ['/subscribe'],
  '/subscribe/confirm/[token]': () => [known.confirm!],
  '/subscribe/channel/[token]': () => ['/subscribe/channel/not-a-real-token'],
  '/manage/[token]': () => [known.manage!],
  '/unsubscribe/[token]': () => [known.unsubscribe!],
  '/unavailable': () => ['/unavailable'],
  // A private site's pages: 404 on a public site (private-site.test.ts walks them on a private one).
  '/private': () => ['/private'],
  '/private/open/[token]': () => ['/private/open/not-a-real-token'],
  '/private/forget': () => [],
  '/history.atom': () => ['/history.atom'],
  '/history.rss': () => ['/history.rss'],
  '/badge.svg': () => ['/badge.svg', '/badge.svg?component=secret-db-7f3a', '/badge.svg?component=hidden-grp-5c1d'],
  '/components/[id]/badge.svg': () => ['/components/api/badge.svg', '/components/secret-db-7f3a/badge.svg', '/components/hidden-member-8e2b/badge.svg'],
  '/components/[id]/history.atom': () => ['/components/dashboard/history.atom', '/components/secret-db-7f3a/history.atom'],
  '/components/[id]/history.rss': () => ['/components/dashboard/history.rss', '/components/secret-db-7f3a/history.rss'],
  '/api/[...path]': () => ['/api/v2/secret-db-7f3a.json'],
  '/api/v2/components.json': () => ['/api/v2/components.json'],
  '/api/v2/incidents.json': () => ['/api/v2/incidents.json'],
  '/api/v2/incidents/unresolved.json': () => ['/api/v2/incidents/unresolved.json'],
  '/api/v2/scheduled-maintenances.json': () => ['/api/v2/scheduled-maintenances.json'],
  '/api/v2/scheduled-maintenances/active.json': () => ['/api/v2/scheduled-maintenances/active.json'],
  '/api/v2/scheduled-maintenances/upcoming.json': () => ['/api/v2/scheduled-maintenances/upcoming.json'],
  '/api/v2/status.json': () => ['/api/v2/status.json'],
  '/api/v2/summary.json': () => ['/api/v2/summary.json'],
  '/api/v1/components/[id].json': () => ['/api/v1/components/dashboard.json', '/api/v1/components/secret-db-7f3a.json'],
  '/api/v1/incidents.json': () => ['/api/v1/incidents.json?days=90'],
  '/api/v1/incidents/[id].json': () => ['/api/v1/incidents/mixed-public-1a2b.json', '/api/v1/incidents/internal-outage-4b9e.json', '/api/v1/incidents/auto-internal-9d2c.json'],
  '/api/v1/postmortems.json': () => ['/api/v1/postmortems.json'],
  '/api/v1/uptime.json': () => ['/api/v1/uptime.json?days=90'],
  // Not public reads: POST-only webhooks, and the manage API (an API key is its reader's identity).
  '/api/v1/alerts/alertmanager': () => [],
  '/api/v1/alerts/webhook': () => [],
  '/api/webhooks/resend': () => [],
  '/api/v1/pages/[page_id]/[...path]': () => [],
};

/** Paths whose answer must be a 404: the internal items do not exist for the public. */
const missingForPublic = [
  '/incidents/internal-outage-4b9e', '/incidents/auto-internal-9d2c', '/maintenance/hidden-maint-3f6a', '/maintenance/hidden-maint-3f6a.ics',
  '/postmortems/internal-outage-4b9e', '/components/secret-db-7f3a/badge.svg', '/components/hidden-member-8e2b/badge.svg',
  '/components/secret-db-7f3a/history.atom', '/components/secret-db-7f3a/history.rss', '/api/v1/components/secret-db-7f3a.json',
  '/api/v1/incidents/internal-outage-4b9e.json', '/api/v1/incidents/auto-internal-9d2c.json',
];

/** Every file under a folder, by relative path. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() || e.isSymbolicLink()) out.push(full);
    }
  };
  walk(fs.realpathSync(dir));
  return out;
}

describe('every public route is walked', () => {
  it('each page and endpoint outside /admin has paths in pathsFor', () => {
    expect(publicRoutes().filter((r) => !(r in pathsFor)), 'add these routes to pathsFor').toEqual([]);
    expect(Object.keys(pathsFor).filter((r) => !publicRoutes().includes(r)), 'these routes no longer exist').toEqual([]);
  });
});

describe.each(['on', 'off'] as const)('with the response cache %s', (cacheMode) => {
  let fixture: Fixture;
  let fake: FakeResend;
  let server: RunningServer;
  let admin: AdminClient;
  let exportDir: string;
  let rx: Receiver;
  const subscriber = `reader-${cacheMode}@example.com`;
  const anonymous = (p: string, cookie?: string): Promise<Response> => server.get(p, cookie ? { headers: { cookie } } : {});
  const team = (p: string): Promise<Response> => server.get(p, { headers: { cookie: admin.cookie! } });

  beforeAll(async () => {
    fixture = createFixture(now);
    fixture.write('components.yaml', components);
    // /reliability is published, so its per-component figures are walked too.
    fixture.write('site.yaml', 'name: Acme Cloud\nurl: https://status.acme.test\ntimezone: UTC\nshow_reliability: true\n');
    exportDir = path.join(fs.mkdtempSync(path.join(fixture.dir, '..', 'kaizen-export-')), 'site');
    fake = await startFakeResend();
    rx = await startReceiver();
    rx.route('/slack', { vendor: 'slack' });
    server = await startServer({
      contentDir: fixture.dir,
      env: emailEnv(fake, { RESPONSE_CACHE: cacheMode, STATIC_EXPORT_DIR: exportDir, ALLOW_PRIVATE_WEBHOOKS: '1', CHANNEL_RETRY_BASE_MS: '50' }),
    });
    admin = await firstAdmin(server);
    // A public chat channel for every component.
    expect((await admin.post('/admin/channels', { action: 'add', channel_type: 'slack', channel_url: rx.url('/slack') })).status).toBe(200);
    // A public subscriber of everything, confirmed before the news arrives.
    expect((await postForm(server, '/subscribe', [['email', subscriber]])).status).toBe(200);
    await eventually(async () => expect(fake.deliveredTo(subscriber)).toHaveLength(1), 30_000);
    const first = fake.deliveredTo(subscriber)[0]!;
    known.confirm = linkPath(first, '/subscribe/confirm/');
    expect((await postForm(server, known.confirm, [])).status).toBe(200);
    writeNews(fixture);
    // The public incident's email is the sign that the news was seen and mailed.
    await eventually(async () => expect(fake.deliveredTo(subscriber).some((m) => m.subject.includes('Public API slowness'))).toBe(true), 30_000);
    await outboxIdle(server);
    const news = fake.deliveredTo(subscriber).find((m) => m.subject.includes('Public API slowness'))!;
    known.manage = linkPath(news, '/manage/');
    known.unsubscribe = linkPath(news, '/unsubscribe/');
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    await rx?.close();
    if (exportDir) fs.rmSync(path.dirname(exportDir), { recursive: true, force: true });
    fixture?.cleanup();
  });

  it('shows none of them on any public path to a reader without a session (nor with a made-up one)', async () => {
    const problems: string[] = [];
    for (const cookie of [undefined, 'kaizen_session=not-a-real-session-token']) {
      for (const p of Object.values(pathsFor).flatMap((f) => f())) {
        // Twice: a cached copy is checked as well as the first render.
        for (const _ of [1, 2]) {
          const r = await anonymous(p, cookie);
          let body = await r.text();
          // A path naming a team-only id answers exactly as one naming an id that never existed (which it echoes).
          const asked = secrets.find((s) => p.includes(s));
          if (asked) {
            const probe = await anonymous(p.replace(asked, unknownLike(asked)), cookie);
            const probeBody = await probe.text();
            if (probe.status !== r.status) problems.push(`${p}: ${r.status}, an unknown id ${probe.status}`);
            if (!r.headers.get('content-type')?.includes('html') && body.replaceAll(asked, unknownLike(asked)) !== probeBody) problems.push(`${p}: differs from an unknown id's answer`);
            body = body.replaceAll(asked, '');
          }
          for (const s of leaks(body)) problems.push(`${p}${cookie ? ' (bad cookie)' : ''}: ${s}`);
          if (missingForPublic.includes(p) && r.status !== 404) problems.push(`${p}: ${r.status}, not 404`);
          if (/^\/(incidents|maintenance)\/(mixed|open|db)|^\/$|^\/reliability$/.test(p) && r.status !== 200) problems.push(`${p}: ${r.status}`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('keeps the public incident but drops its team-only components', async () => {
    const page = await (await anonymous('/incidents/mixed-public-1a2b')).text();
    expect(page).toContain('Public API slowness');
    expect(page).toContain('Dashboard');
    const api = await (await anonymous('/api/v1/incidents/mixed-public-1a2b.json')).json() as Record<string, unknown>;
    expect(JSON.stringify(api)).toContain('dashboard');
    const home = await (await anonymous('/')).text();
    expect(home).toContain('Core');
  });

  it('emails the public subscriber only public news, without the team-only components', () => {
    const mails = fake.deliveredTo(subscriber);
    expect(mails.length).toBeGreaterThanOrEqual(2);
    const problems = mails.flatMap((m) => leaks(`${m.subject}\n${m.html}\n${m.text}\n${JSON.stringify(m.headers)}`).map((s) => `${m.subject}: ${s}`));
    expect(problems).toEqual([]);
    expect(mails.some((m) => m.subject.includes('Public API slowness'))).toBe(true);
  });

  it('tells the public chat channel only public news, without the team-only components', async () => {
    await eventually(async () => expect(JSON.stringify(rx.accepted('/slack').map((d) => d.body))).toContain('Public API slowness'), 30_000);
    const all = JSON.stringify(rx.accepted('/slack').map((d) => d.body));
    expect(leaks(all)).toEqual([]);
  }, 40_000);

  it('writes no team-only item into the static export', async () => {
    await eventually(async () => {
      const m = manifestAfter(exportDir, 0);
      expect(m.files['incidents/mixed-public-1a2b.html']).toBeDefined();
    }, 60_000);
    const files = filesUnder(exportDir);
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((f) => [...leaks(path.relative(exportDir, f)), ...leaks(fs.readFileSync(f, 'latin1'))].map((s) => `${path.basename(f)}: ${s}`));
    expect(problems).toEqual([]);
  }, 90_000);

  it('shows them to a signed-in user, marked, privately', async () => {
    for (const [p, expected] of [
      ['/', ['Vault Ledger Qx9', 'Backroom Group Zw3', 'Ledger Meltdown Yy7']],
      ['/history', ['Silent Failover Ww2']],
      ['/incidents/internal-outage-4b9e', ['Ledger Meltdown Yy7']],
      ['/maintenance/hidden-maint-3f6a', ['Quiet Patch Rr5']],
      ['/postmortems/internal-outage-4b9e', ['Ledger Retro Tt8']],
      ['/api/v2/components.json', ['secret-db-7f3a']],
      ['/components/secret-db-7f3a/badge.svg', ['Vault Ledger Qx9']],
    ] as const) {
      const r = await team(p);
      const body = await r.text();
      expect(r.status, p).toBe(200);
      for (const s of expected) expect(body, p).toContain(s);
      expect(r.headers.get('cache-control'), p).toBe('private, no-store');
      expect(r.headers.get('x-cache'), p).toBeNull();
    }
    expect(await (await team('/')).text()).toContain('Team only');
  });

  it('marks a component and an incident team-only from admin: gone for the public, no email to subscribers', async () => {
    const before = fake.deliveredTo(subscriber).length;
    const title = `Admin Only Outage ${cacheMode} Hh6`;
    const created = await admin.post('/admin/incidents/new', { title, severity: 'P1', 'component.api': 'partial_outage', message: 'We are investigating.', notify: 'yes', team_only: 'on' });
    expect(created.status).toBe(303);
    const href = new URL(created.headers.get('location')!, server.url).pathname;
    const id = href.split('/').pop()!;
    expect((await admin.get(href)).status).toBe(200);
    expect(await (await team('/')).text()).toContain(title);
    expect((await anonymous(`/incidents/${id}`)).status).toBe(404);
    for (const p of ['/', '/history', '/api/v2/incidents.json', '/history.atom']) expect(await (await anonymous(p)).text(), p).not.toContain(title);
    // Documentation becomes team-only; its incidents (only it) go with it.
    expect((await admin.post('/admin/components', { component: 'docs', set_audience: '1', team_only: 'on' })).status).toBe(303);
    const page = await (await admin.get('/admin/components')).text();
    expect(page).toMatch(/name="team_only" checked/);
    for (const p of ['/', '/api/v2/components.json', '/subscribe']) {
      const body = await (await anonymous(p)).text();
      expect(body, p).not.toContain('Documentation');
      expect(await (await team(p)).text(), p).toContain(p === '/subscribe' ? 'Public API' : 'Documentation');
    }
    expect((await anonymous('/components/docs/badge.svg')).status).toBe(404);
    expect((await admin.post('/admin/components', { component: 'docs', set_audience: '1' })).status).toBe(303);
    expect(await (await anonymous('/api/v2/components.json')).text()).toContain('Documentation');
    await outboxIdle(server);
    expect(fake.deliveredTo(subscriber).slice(before).map((m) => m.subject)).toEqual([]);
  }, 60_000);

  it('never serves one view to the other reader, whichever comes first', async () => {
    // Public first, then signed in, then public again.
    for (const p of ['/', '/api/v2/summary.json', '/history.atom']) {
      const a = await anonymous(p);
      expect(leaks(await a.text()), p).toEqual([]);
      if (cacheMode === 'on') expect(['hit', 'miss']).toContain(a.headers.get('x-cache'));
      expect(leaks(await (await team(p)).text()).length, p).toBeGreaterThan(0);
      const again = await anonymous(p);
      expect(leaks(await again.text()), p).toEqual([]);
      if (cacheMode === 'on') expect(again.headers.get('x-cache'), p).toBe('hit');
    }
    // Signed in first on paths nobody has asked for in this data version, then public.
    fixture.write('incidents/a-later-note.md', `---
title: A later note
severity: P3
components:
  docs: degraded_performance
detected: ${iso(now - 5 * MINUTE)}
updates:
  - at: ${iso(now - 5 * MINUTE)}
    status: resolved
    message: Fine now.
---
`);
    await eventually(async () => expect(await (await anonymous('/api/v2/incidents.json')).text()).toContain('A later note'), 10_000);
    for (const p of ['/history', '/api/v2/components.json', '/api/v2/incidents/unresolved.json', '/maintenance.ics']) {
      expect(leaks(await (await team(p)).text()).length, p).toBeGreaterThan(0);
      const pub = await anonymous(p);
      expect(leaks(await pub.text()), p).toEqual([]);
      if (cacheMode === 'on') expect(pub.headers.get('x-cache'), p).toBe('miss');
    }
  }, 60_000);
});
