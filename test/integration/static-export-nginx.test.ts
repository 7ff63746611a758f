// Debian's nginx serves the exported folder, and every page, document, feed, badge and file in the manifest is
// byte for byte what the live server sends (taken in the same minute: pages show the time).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { startNginx, type RunningNginx } from '../helpers/nginx.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { manifestAfter, readManifest, servedFiles } from '../helpers/static-export.ts';

let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;
let nginx: RunningNginx;
let tmp: string;
let dir: string;

beforeAll(async () => {
  const now = Date.now();
  fixture = createFixture(now);
  // Enough incidents for a second history page, and a content-file incident with an id static hosts must decode.
  for (let i = 0; i < 30; i++) {
    const start = now - (100 + i * 24) * HOUR;
    fixture.write(`incidents/archive-${String(i).padStart(2, '0')}.md`, `---\ntitle: Archived incident ${i}\nseverity: P3\ndetected: ${iso(start)}\nupdates:\n  - { at: ${iso(start)}, status: investigating, message: Looking }\n  - { at: ${iso(start + 30 * MINUTE)}, status: resolved, message: "Fixed: **done**" }\n---\n`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-nginx-export-'));
  dir = path.join(tmp, 'mirror');
  server = await startServer({ contentDir: fixture.dir, env: { STATIC_EXPORT_DIR: dir } });
  admin = await firstAdmin(server);
  await eventually(async () => { expect(manifestAfter(dir, 0).files['history/page/2.html']).toBeDefined(); }, 30_000);
  nginx = await startNginx(dir);
});
afterAll(async () => {
  await nginx?.stop();
  await server?.stop();
  fixture?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const bytes = async (r: Response): Promise<Buffer> => Buffer.from(await r.arrayBuffer());

describe('the export served by nginx', () => {
  it('matches the live server byte for byte for every file in the manifest', async () => {
    let compared = 0;
    for (let attempt = 0; attempt < 4 && compared === 0; attempt++) {
      const before = readManifest(dir)!.stats.version;
      const asked = await admin.post('/admin/mirror', { action: 'export' });
      expect(asked.status).toBe(200);
      const m = await eventually(async () => { manifestAfter(dir, before); }, 20_000).then(() => readManifest(dir)!);
      const minute = Math.floor(Date.parse(m.stats.startedAt) / 60_000);
      const live = new Map<string, Buffer>();
      for (const { path: p } of servedFiles(m)) {
        // The copy's 404.html is what the live server answers for any unknown path.
        const notFound = p === '/404.html';
        const r = await server.get(notFound ? '/no-such-page' : p, { headers: { 'accept-encoding': 'identity' } });
        expect(r.status, p).toBe(notFound ? 404 : 200);
        live.set(p, await bytes(r));
      }
      // Pages show the current minute: compare only a copy and live answers taken within one minute.
      if (Math.floor((Date.parse(m.stats.startedAt) + m.stats.durationMs) / 60_000) !== minute || Math.floor(Date.now() / 60_000) !== minute) continue;
      for (const { path: p, file } of servedFiles(m)) {
        const notFound = p === '/404.html';
        const r = await nginx.get(notFound ? '/no-such-page' : p);
        expect(r.status, p).toBe(notFound ? 404 : 200);
        const served = await bytes(r);
        expect(served.equals(fs.readFileSync(path.join(dir, file))), `${p}: nginx serves the file`).toBe(true);
        expect(served.equals(live.get(p)!), `${p}: same bytes as the live server`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  }, 120_000);

  it('serves extensionless pages, the second history page, feeds with their types, and the 404 page', async () => {
    const page2 = await nginx.get('/history/page/2');
    expect(page2.status).toBe(200);
    expect(await page2.text()).toContain('Page 2 of 2');
    expect((await nginx.get('/api/v2/summary.json')).headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await nginx.get('/history.atom')).headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect((await nginx.get('/badge.svg')).headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const missing = await nginx.get('/incidents/no-such-incident');
    const liveMissing = await server.get('/incidents/no-such-incident-either-way');
    expect(missing.status).toBe(404);
    expect(liveMissing.status).toBe(404);
    expect(await missing.text()).toContain('Not found');
  });

  it('redirects old ?page= links as the live site does', async () => {
    for (const [from, to] of [['/history?page=1', '/history'], ['/history?page=2', '/history/page/2'], ['/history/page/1', '/history']]) {
      const a = await nginx.get(from!);
      const b = await server.get(from!);
      expect([a.status, a.headers.get('location')], from).toEqual([301, to]);
      expect([b.status, b.headers.get('location')], from).toEqual([301, to]);
    }
  });
});
