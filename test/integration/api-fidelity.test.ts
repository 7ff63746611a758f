// Statuspage fidelity over the built server: CORS on 304, 405 on writes, maintenance dated when announced,
// feed entries linking to their own update, /api/v2 as Statuspage writes it, badge text that fits.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import anafanafo from 'anafanafo';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import pg from 'pg';
import { createTestDatabase } from '../helpers/postgres.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import {
  genuine, componentsBody, incidentsBody, summaryBody, v2Endpoints,
  type ComponentsBody, type IncidentsBody, type MaintenancesBody,
} from '../helpers/statuspage-schema.ts';

const root = path.resolve(import.meta.dirname, '../..');
const now = Date.now();
const announced = now - 72 * HOUR;
const LONG = 'Ærø Œuvre — Überwachung der Datenbank ÆØÅ 日本語 Ωmega';
let fixture: Fixture;
let server: RunningServer;
/** The data folder of the server restarted on it, which its stop() leaves in place. */
let keptDataDir: string | null = null;

beforeAll(async () => {
  fixture = createFixture(now);
  fixture.write('components.yaml', `
- id: core
  name: Core
  components:
    - { id: api, name: Public API, description: REST endpoints }
    - { id: dashboard, name: Dashboard }
- { id: docs, name: Documentation }
- id: edge
  name: Edge
  components:
    - { id: cdn, name: CDN }
- { id: long, name: "${LONG}" }
`);
  fixture.write('maintenance/announced-work.md', `---
title: Announced network work
components: [docs]
scheduled_start: ${iso(now + 48 * HOUR)}
scheduled_end: ${iso(now + 49 * HOUR)}
announced: ${iso(announced)}
---
`);
  fixture.write('incidents/cdn-slow.md', `---
title: CDN slow
severity: P2
components:
  cdn: degraded_performance
updates:
  - at: ${iso(now - 20 * MINUTE)}
    status: investigating
    message: Looking.
  - at: ${iso(now - 15 * MINUTE)}
    status: identified
    message: Found it.
---
`);
  server = await startServer({ contentDir: fixture.dir });
});
afterAll(async () => {
  await server?.stop();
  if (keptDataDir) fs.rmSync(keptDataDir, { recursive: true, force: true });
  fixture?.cleanup();
});

const getJson = async <T>(p: string): Promise<T> => {
  const r = await server.get(p);
  expect(r.status, p).toBe(200);
  return (await r.json()) as T;
};

describe('a 304 keeps the CORS headers', () => {
  it.each(['/api/v2/summary.json', '/api/v1/incidents.json', '/history.atom', '/history.rss', '/badge.svg', '/components/api/badge.svg'])('%s', async (p) => {
    // Twice: the first answer may be rendered, the second comes from the response cache; both revalidate.
    for (let i = 0; i < 2; i++) {
      const r = await server.get(p);
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      await r.arrayBuffer();
      const again = await server.get(p, { headers: { 'If-None-Match': r.headers.get('etag')!, Origin: 'https://widget.example' } });
      expect(again.status).toBe(304);
      expect(again.headers.get('access-control-allow-origin')).toBe('*');
      expect(again.headers.get('access-control-expose-headers')).toBe('ETag');
    }
  });
});

describe('a 304 keeps the CORS headers with the response cache off too', () => {
  it('answers from the route itself with them', async () => {
    const plain = await startServer({ contentDir: fixture.dir, env: { RESPONSE_CACHE: 'off' } });
    try {
      for (const p of ['/api/v2/status.json', '/history.rss', '/badge.svg']) {
        const r = await plain.get(p);
        await r.arrayBuffer();
        const again = await plain.get(p, { headers: { 'If-None-Match': r.headers.get('etag')! } });
        expect(again.status, p).toBe(304);
        expect(again.headers.get('access-control-allow-origin'), p).toBe('*');
      }
    } finally {
      await plain.stop();
    }
  });
});

describe('writes to read-only public paths', () => {
  const paths = ['/api/v2/summary.json', '/api/v2/incidents/unresolved.json', '/api/v1/incidents.json', '/api/v1/uptime.json', '/history.atom', '/history.rss', '/badge.svg', '/components/api/history.rss'];
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    it.each(paths)(`${method} %s is a 405 JSON with Allow and CORS, from any origin`, async (p) => {
      for (const headers of [{}, { Origin: 'https://elsewhere.example' }] as Record<string, string>[]) {
        const r = await server.get(p, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
        expect(r.status).toBe(405);
        expect(r.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
        expect(r.headers.get('access-control-allow-origin')).toBe('*');
        expect(r.headers.get('content-type')).toMatch(/^application\/json/);
        expect(((await r.json()) as { error: string }).error).toMatch(/read-only/);
      }
    });
  }

  it('keeps the origin check on real state changes', async () => {
    const form = await server.get('/subscribe', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.test' });
    expect(form.status).toBe(403);
    const admin = await server.get('/admin/login', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }, body: 'email=a' });
    expect(admin.status).toBe(403);
    // The manage API answers by its key, as before: no key, 401.
    const manage = await server.get('/api/v1/pages/x/incidents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(manage.status).toBe(401);
  });
});

describe('maintenance is dated when it was announced', () => {
  it('uses announced:, else when the file was first seen, never the future start, in the API and the feeds', async () => {
    const body = await getJson<MaintenancesBody>('/api/v2/scheduled-maintenances/upcoming.json');
    const byId = new Map(body.scheduled_maintenances.map((m) => [m.id, m]));
    const withAnnounced = byId.get('announced-work')!;
    expect(Date.parse(withAnnounced.created_at)).toBe(announced);
    expect(Date.parse(withAnnounced.started_at)).toBe(announced);
    // db-upgrade (the shared fixture) has no update and no announced: dated when this server first saw it.
    const unannounced = byId.get('db-upgrade')!;
    const created = Date.parse(unannounced.created_at);
    expect(created).toBeGreaterThanOrEqual(now - MINUTE);
    expect(created).toBeLessThanOrEqual(Date.now());
    expect(created).toBeLessThan(Date.parse(unannounced.scheduled_for));
    expect(Date.parse(unannounced.updated_at)).toBeLessThanOrEqual(Date.now());
    for (const u of unannounced.incident_updates) expect(Date.parse(u.created_at)).toBeLessThanOrEqual(Date.now());

    const atom = parseAtomFeed(await (await server.get('/history.atom')).text());
    const titleOf = (t: unknown): unknown => (typeof t === 'object' && t !== null && 'value' in t ? t.value : t);
    const entry = (title: string) => atom.entries!.find((e) => titleOf(e.title) === `Scheduled maintenance: ${title}`)!;
    expect(Date.parse(entry('Announced network work').published!)).toBe(announced);
    expect(Date.parse(entry('Database upgrade').published!)).toBe(created);
  });

  it('keeps the first-seen time across a restart (stored in the database)', async () => {
    const before = await getJson<MaintenancesBody>('/api/v2/scheduled-maintenances/upcoming.json');
    const first = before.scheduled_maintenances.find((m) => m.id === 'db-upgrade')!.created_at;
    // A restart: the server stops first (one server per SQLite file, decision record 028), then one starts on its file.
    const dataDir = server.dataDir;
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGTERM');
    await exited;
    keptDataDir = dataDir;
    server = await startServer({ contentDir: fixture.dir, dataDir });
    const after = await getJson<MaintenancesBody>('/api/v2/scheduled-maintenances/upcoming.json');
    expect(after.scheduled_maintenances.find((m) => m.id === 'db-upgrade')!.created_at).toBe(first);
  });

  it('keeps one first-seen time for two instances on PostgreSQL', async () => {
    const database = await createTestDatabase('kz_first_seen');
    const servers: RunningServer[] = [];
    try {
      const createdAt = async (s: RunningServer): Promise<string> => {
        const body = (await (await s.get('/api/v2/scheduled-maintenances/upcoming.json')).json()) as MaintenancesBody;
        return body.scheduled_maintenances.find((m) => m.id === 'db-upgrade')!.created_at;
      };
      servers.push(await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: database.url } }));
      const first = await createdAt(servers[0]!);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await eventually(async () => {
          const rows = await client.query('SELECT first_seen_at FROM maintenance_first_seen WHERE maintenance_id = $1', ['db-upgrade']);
          expect(Date.parse(rows.rows[0]?.first_seen_at)).toBe(Date.parse(first));
        });
      } finally {
        await client.end();
      }
      servers.push(await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: database.url } }));
      expect(await createdAt(servers[1]!)).toBe(first);
    } finally {
      for (const s of servers) await s.stop();
      await database.drop();
    }
  });

  it('content:check reads announced: and notes the files without it', () => {
    const run = (dir: string) => spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/content-check.ts', dir], { cwd: root, encoding: 'utf8' });
    const ok = run(fixture.dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/no announced: time in .*maintenance\/db-upgrade\.md/);
    expect(ok.stdout).not.toMatch(/announced-work/);
    const bad = createFixture(now);
    try {
      bad.write('maintenance/bad.md', `---\ntitle: Bad\ncomponents: [api]\nscheduled_start: ${iso(now)}\nscheduled_end: ${iso(now + HOUR)}\nannounced: yesterday\n---\n`);
      const r = run(bad.dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/bad\.md: announced: must be an ISO 8601 time/);
    } finally {
      bad.cleanup();
    }
  });
});

describe('feed entries link to their own update', () => {
  it('gives every incident update its own link and id, in Atom and RSS, and the page has the anchors', async () => {
    const atom = parseAtomFeed(await (await server.get('/history.atom')).text());
    const rss = parseRssFeed(await (await server.get('/history.rss')).text());
    const atomLinks = atom.entries!.filter((e) => e.categories?.[0]?.term === 'incident').map((e) => e.links!.find((l) => l.rel === 'alternate')!.href!);
    const rssLinks = rss.items!.filter((i) => i.categories?.[0]?.name === 'incident').map((i) => i.link!);
    for (const links of [atomLinks, rssLinks]) {
      expect(links.length).toBeGreaterThanOrEqual(6);
      expect(new Set(links).size).toBe(links.length);
      for (const l of links) expect(l).toMatch(/^https:\/\/status\.acme\.test\/incidents\/[^/#]+#update-\d+$/);
    }
    expect(atomLinks).toContain('https://status.acme.test/incidents/cdn-slow#update-1');
    expect(atomLinks).toContain('https://status.acme.test/incidents/cdn-slow#update-2');
    expect(new Set(atom.entries!.map((e) => e.id)).size).toBe(atom.entries!.length);
    expect(new Set(rss.items!.map((i) => i.guid?.value)).size).toBe(rss.items!.length);
    const html = await (await server.get('/incidents/cdn-slow')).text();
    // Newest first on the page: update-2 (identified) comes before update-1 (investigating).
    const two = html.indexOf('id="update-2"');
    const one = html.indexOf('id="update-1"');
    expect(two).toBeGreaterThan(-1);
    expect(one).toBeGreaterThan(two);
    expect(html.slice(two, one)).toContain('Found it.');
  });

  it('keeps element ids unique on the front page, where several incidents show their updates', async () => {
    const html = await (await server.get('/')).text();
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('/api/v2 as Statuspage writes it', () => {
  it('names grouped affected components "Group - Component" with old and new status', async () => {
    const body = await getJson<IncidentsBody>('/api/v2/incidents.json');
    const cdn = body.incidents.find((i) => i.id === 'cdn-slow')!;
    const first = cdn.incident_updates.at(-1)!;
    expect(first.affected_components).toEqual([{ code: 'cdn', name: 'Edge - CDN', old_status: 'operational', new_status: 'degraded_performance' }]);
    const api = body.incidents.find((i) => i.id === 'open-api-errors')!;
    expect(api.incident_updates.at(-1)!.affected_components![0]!.name).toBe('Core - Public API');
  });

  it('counts positions within each group; groups have their own', async () => {
    const body = await getJson<ComponentsBody>('/api/v2/components.json');
    const pos = Object.fromEntries(body.components.map((c) => [c.id, c.position]));
    expect(pos).toEqual({ core: 1, api: 1, dashboard: 2, docs: 2, edge: 3, cdn: 1, long: 4 });
    expect(body.components.map((c) => c.id)).toEqual(['core', 'api', 'dashboard', 'docs', 'edge', 'cdn', 'long']);
  });

  it('gives an incident with a published post-mortem the status postmortem', async () => {
    const body = await getJson<IncidentsBody>('/api/v2/incidents.json');
    const old = body.incidents.find((i) => i.id === 'old-dashboard-outage')!;
    expect(old.status).toBe('postmortem');
    expect(old.incident_updates[0]!.status).toBe('resolved');
    expect(body.incidents.find((i) => i.id === 'cdn-slow')!.status).toBe('identified');
  });

  it('carries deliver_notifications, reminder_intervals, custom_tweet, tweet_id, start_date and showcase with their types', async () => {
    const body = await getJson<IncidentsBody>('/api/v2/incidents.json');
    for (const i of body.incidents) {
      expect(i).toHaveProperty('reminder_intervals', null);
      for (const u of i.incident_updates) {
        expect(typeof u.deliver_notifications).toBe('boolean');
        expect(u).toHaveProperty('custom_tweet', null);
        expect(u).toHaveProperty('tweet_id', null);
      }
      for (const c of i.components) {
        expect(typeof c.showcase).toBe('boolean');
        expect(c).toHaveProperty('start_date', null);
      }
    }
    // Notified as the email rules say: P1 updates yes, P2 updates no (neither file names notify:).
    expect(body.incidents.find((i) => i.id === 'open-api-errors')!.incident_updates.map((u) => u.deliver_notifications)).toEqual([true, true]);
    expect(body.incidents.find((i) => i.id === 'cdn-slow')!.incident_updates.map((u) => u.deliver_notifications)).toEqual([false, false]);
  });

  it.each(Object.entries(v2Endpoints))('%s satisfies both readings of the contract', async (p, schema) => {
    const body = await getJson<unknown>(p);
    expect(schema.safeParse(body).error).toBeUndefined();
    const lenient = { '/api/v2/summary.json': genuine.summaryBody, '/api/v2/status.json': genuine.statusBody, '/api/v2/components.json': genuine.componentsBody }[p]
      ?? (p.includes('maintenances') ? genuine.maintenancesBody : genuine.incidentsBody);
    expect(lenient.safeParse(body).error).toBeUndefined();
  });
});

describe('genuine Statuspage responses (test/fixtures/statuspage)', () => {
  const read = (f: string): unknown => JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/statuspage', f), 'utf8'));
  const cases = [
    ['discord-summary.json', genuine.summaryBody, summaryBody],
    ['emma-incidents.json', genuine.incidentsBody, incidentsBody],
    ['github-components.json', genuine.componentsBody, componentsBody],
  ] as const;
  it.each(cases)('%s is accepted by the contract schema (and would fail our strict one)', (file, lenient, strict) => {
    expect(lenient.safeParse(read(file)).error).toBeUndefined();
    expect(strict.safeParse(read(file)).success).toBe(false);
  });

  it('still rejects what Statuspage never sends', () => {
    const emma = read('emma-incidents.json') as { incidents: { status: string; incident_updates: { deliver_notifications: unknown }[] }[] };
    emma.incidents[0]!.incident_updates[0]!.deliver_notifications = 'yes';
    expect(genuine.incidentsBody.safeParse(emma).success).toBe(false);
    const other = read('emma-incidents.json') as { incidents: { status: string }[] };
    other.incidents[0]!.status = 'fixing';
    expect(genuine.incidentsBody.safeParse(other).success).toBe(false);
  });
});

describe('badge text fits its box', () => {
  const rects = (svg: string): number[] => [...svg.matchAll(/<rect (?:x="[\d.]+" )?width="([\d.]+)" height="20" fill="(?!url)/g)].map((m) => Number(m[1]));
  const lengths = (svg: string): number[] => [...svg.matchAll(/<text x="[\d.]+" y="14" fill="[^"]+" textLength="([\d.]+)"/g)].map((m) => Number(m[1]));

  it.each([
    ['/components/long/badge.svg', LONG, 'operational'],
    ['/components/cdn/badge.svg', 'CDN', 'degraded performance'],
    ['/badge.svg', 'status', null],
  ])('%s: each part is at least the Verdana 11px width of its text plus padding', async (p, label, message) => {
    const svg = await (await server.get(p)).text();
    const [labelBox, messageBox] = rects(svg);
    const [labelLength] = lengths(svg);
    const width = (s: string): number => anafanafo(s, { font: '11px Verdana' });
    expect(labelLength).toBeGreaterThanOrEqual(Math.floor(width(label) * 10) / 10);
    expect(labelBox).toBeGreaterThanOrEqual(width(label) + 10);
    if (message) expect(messageBox).toBeGreaterThanOrEqual(width(message) + 10);
  });
});
