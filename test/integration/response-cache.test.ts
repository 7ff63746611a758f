// The cache in front of the real server: every kind of write shows on the very next request; admin is never cached.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;

const page = async (path: string): Promise<string> => (await server.get(path)).text();
/** Reads twice first so the page is certainly in the cache before the write. */
const warm = async (path: string): Promise<string> => { await page(path); return page(path); };

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

describe('public response cache', () => {
  it('serves public pages with a CDN-friendly Cache-Control, an ETag and 304', async () => {
    await page('/');
    const r = await server.get('/', { headers: { 'accept-encoding': 'br' } });
    expect(r.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=30');
    expect(r.headers.get('etag')).toMatch(/^".+"$/);
    expect(r.headers.get('vary')).toBe('Accept-Encoding');
    const again = await server.get('/', { headers: { 'accept-encoding': 'br', 'if-none-match': r.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('each compressed variant decompresses to exactly the identity body', async () => {
    const raw = async (encoding: string): Promise<Buffer> => {
      const res = await fetch(new URL('/', server.url), { headers: { 'accept-encoding': encoding } });
      // fetch decodes; compare what it decoded with the identity body.
      return Buffer.from(await res.arrayBuffer());
    };
    const identity = await raw('identity');
    expect((await raw('br')).equals(identity)).toBe(true);
    expect((await raw('gzip')).equals(identity)).toBe(true);
    expect(zlib.gzipSync(identity).length).toBeLessThan(identity.length);
  });

  it('an admin update shows on the very next request', async () => {
    expect(await warm('/')).not.toContain('Queue backlog');
    const created = await admin.post('/admin/incidents/new', { title: 'Queue backlog', severity: 'P2', 'component.docs': 'degraded_performance', message: 'We are investigating a queue backlog.', notify: 'no' });
    expect(created.status).toBe(303);
    expect(await page('/')).toContain('Queue backlog');
    const path = created.headers.get('location')!.replace(/\?.*/, '');
    const id = path.split('/').pop()!;
    expect(await warm(`/incidents/${id}`)).toContain('We are investigating a queue backlog.');
    await admin.post(path, { action: 'update', status: 'identified', message: 'We have identified the cause as a stuck consumer.' });
    expect(await page(`/incidents/${id}`)).toContain('stuck consumer');
    expect(await page('/api/v2/incidents/unresolved.json')).toContain('stuck consumer');
  });

  it('a component set by hand and a maintenance window show on the very next request', async () => {
    expect(await warm('/')).toMatch(/Documentation[\s\S]*?status-degraded_performance/);
    await admin.post('/admin/components', { component: 'api', status: 'major_outage' });
    expect(await page('/')).toMatch(/Public API[\s\S]*?status-major_outage">Major outage/);
    await admin.post('/admin/components', { component: 'api', reset: '1' });
    const start = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 16);
    const end = new Date(Date.now() + 3 * 86_400_000 + 3_600_000).toISOString().slice(0, 16);
    await warm('/');
    await admin.post('/admin/maintenance', { title: 'Cache test window', components: ['dashboard'], scheduled_start: start, scheduled_end: end, message: 'Planned.' });
    expect(await page('/')).toContain('Cache test window');
  });

  it('a content file change shows without restart', async () => {
    expect(await warm('/')).not.toContain('Docs typo');
    fixture.write('incidents/docs-typo.md', `---\ntitle: Docs typo\nseverity: P3\nupdates:\n  - { at: ${iso(Date.now() - MINUTE)}, status: investigating, message: Fixing. }\n---\n`);
    await eventually(async () => expect(await page('/')).toContain('Docs typo'), 15_000);
  });

  it('never caches admin pages: private, no-store, and each session sees its own', async () => {
    const r1 = await admin.get('/admin');
    expect(r1.headers.get('cache-control')).toBe('private, no-store');
    expect(r1.headers.get('etag')).toBeNull();
    expect(await r1.text()).toContain('oncall@acme.test');
    const anonymous = await server.get('/admin');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('cache-control')).toBe('private, no-store');
  });
});

describe('clock-driven changes', () => {
  it('a maintenance window starting on the clock shows at once, with no write', async () => {
    const start = Date.now() + 2500;
    fixture.write('maintenance/clock.md', `---\ntitle: Clock window\ncomponents: [docs]\nscheduled_start: ${new Date(start).toISOString()}\nscheduled_end: ${new Date(start + 3_600_000).toISOString()}\n---\n`);
    await eventually(async () => expect(await page('/')).toContain('Clock window'), 15_000);
    const before = await warm('/');
    expect(before).toMatch(/Documentation[\s\S]*?status-(operational|degraded_performance)/);
    await new Promise((r) => setTimeout(r, Math.max(0, start - Date.now()) + 200));
    const after = await page('/');
    expect(after).toMatch(/Documentation[\s\S]*?status-(under_maintenance|degraded_performance)/);
    expect(after).toMatch(/<span class="pill pill-maintenance">In progress<\/span>/);
  });
});
