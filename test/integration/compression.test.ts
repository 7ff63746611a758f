// Every text response of the real server leaves compressed when the client asks (br, else gzip), stylesheets and
// scripts included, decodes to the identity body, says Vary: Accept-Encoding, and keeps its ETag/304.
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET that returns the bytes as sent (fetch would decode them). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    // The path as given (new URL would resolve dot segments before they reach the server).
    const req = http.request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(r: Raw): Buffer {
  const enc = r.headers['content-encoding'];
  if (enc === 'br') return zlib.brotliDecompressSync(r.body);
  if (enc === 'gzip') return zlib.gunzipSync(r.body);
  return r.body;
}

/** The same request three ways: identity, br (preferred) and gzip only. */
async function threeWays(path: string, headers: Record<string, string> = {}): Promise<{ identity: Raw; br: Raw; gzip: Raw }> {
  const identity = await raw(path, { ...headers, 'accept-encoding': 'identity' });
  const br = await raw(path, { ...headers, 'accept-encoding': 'gzip, deflate, br' });
  const gzip = await raw(path, { ...headers, 'accept-encoding': 'gzip' });
  return { identity, br, gzip };
}

let stylesheet = '';
let script = '';

beforeAll(async () => {
  fixture = createFixture(now);
  server = await startServer({ contentDir: fixture.dir });
  admin = await firstAdmin(server);
  const home = await (await server.get('/')).text();
  stylesheet = /<link[^>]+href="(\/_astro\/[^"]+\.css)"/.exec(home)?.[1] ?? '';
  // The layout's script (times, self-refresh) is the largest the public pages load.
  const scripts = [...home.matchAll(/<script[^>]+src="(\/_astro\/[^"]+\.js)"/g)].map((m) => m[1]!);
  script = scripts.find((s) => s.includes('Page.astro')) ?? scripts[0] ?? '';
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

const publicPaths = [
  '/', '/history', '/incidents/open-api-errors', '/incidents/old-dashboard-outage', '/maintenance/db-upgrade',
  '/postmortems', '/postmortems/old-dashboard-outage', '/reliability', '/subscribe', '/this-page-does-not-exist',
  '/history.atom', '/history.rss', '/components/api/history.atom', '/api/v2/summary.json', '/api/v2/incidents.json',
  '/api/v1/incidents.json', '/api/v1/uptime.json',
];

describe('compression', () => {
  it('finds the stylesheet and a script in the pages', () => {
    expect(stylesheet).toMatch(/^\/_astro\/.+\.css$/);
    expect(script).toMatch(/^\/_astro\/.+\.js$/);
  });

  it.each(publicPaths)('%s comes back br and gzip, decoding to the identity body', async (path) => {
    const { identity, br, gzip } = await threeWays(path);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.length).toBeGreaterThan(1024);
    expect(br.status).toBe(identity.status);
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    for (const r of [identity, br, gzip]) expect(r.headers.vary).toMatch(/accept-encoding/i);
    expect(decode(br).equals(identity.body)).toBe(true);
    expect(decode(gzip).equals(identity.body)).toBe(true);
    expect(br.body.length).toBeLessThan(identity.body.length);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
  });

  it('the stylesheet and a script are compressed, keep their immutable caching, and answer 304 to their ETag', async () => {
    for (const path of [stylesheet, script]) {
      const { identity, br, gzip } = await threeWays(path);
      expect(identity.status).toBe(200);
      expect(identity.body.length).toBeGreaterThan(1024);
      expect(br.headers['content-encoding']).toBe('br');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(decode(br).equals(identity.body)).toBe(true);
      expect(decode(gzip).equals(identity.body)).toBe(true);
      for (const r of [identity, br, gzip]) {
        expect(r.headers.vary).toMatch(/accept-encoding/i);
        expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      }
      expect(br.headers['content-type']).toBe(identity.headers['content-type']);
      // Each variant has its own validator, and each revalidates to 304.
      expect(new Set([identity.headers.etag, br.headers.etag, gzip.headers.etag]).size).toBe(3);
      const again = await raw(path, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      const plain = await raw(path, { 'accept-encoding': 'identity', 'if-none-match': identity.headers.etag! });
      expect(plain.status).toBe(304);
      // A HEAD says the same as the GET without a body.
      const head = await raw(path, { 'accept-encoding': 'br' }, 'HEAD');
      expect(head.headers['content-encoding']).toBe('br');
      expect(head.body.length).toBe(0);
    }
    expect((await raw(`${stylesheet}x`, { 'accept-encoding': 'br' })).status).toBe(404);
    const outside = await raw('/_astro/../../package.json', { 'accept-encoding': 'br' });
    expect(outside.status).toBe(404);
    expect(decode(outside).toString()).not.toContain('"dependencies"');
  });

  it('the cached pages still revalidate to 304 with their compressed ETag', async () => {
    const br = await raw('/', { 'accept-encoding': 'br' });
    const again = await raw('/', { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! });
    expect(again.status).toBe(304);
  });

  it('admin pages are compressed too, and never cached publicly', async () => {
    for (const path of ['/admin', '/admin/incidents', '/admin/components', '/admin/subscribers']) {
      const { identity, br, gzip } = await threeWays(path, { cookie: admin.cookie! });
      expect(identity.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(decode(br).toString()).toContain('</html>');
      expect(decode(br).length).toBeGreaterThan(identity.body.length * 0.9);
      for (const r of [identity, br, gzip]) {
        expect(r.headers['cache-control']).toMatch(/private|no-store/);
        expect(r.headers['cache-control']).not.toMatch(/public/);
        expect(r.headers.vary).toMatch(/accept-encoding/i);
      }
    }
    const login = await threeWays('/admin/login');
    expect(login.br.headers['content-encoding']).toBe('br');
    expect(decode(login.br).equals(login.identity.body)).toBe(true);
  });

  it('leaves images, tiny bodies and HEAD alone', async () => {
    const tiny = await raw('/api/v2/status.json', { 'accept-encoding': 'br' });
    expect(tiny.body.length).toBeLessThan(1024);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.headers.vary).toMatch(/accept-encoding/i);
    const badge = await threeWays('/badge.svg');
    expect(decode(badge.br).equals(badge.identity.body)).toBe(true);
    const favicon = await raw('/favicon.svg', { 'accept-encoding': 'br' });
    expect(favicon.status).toBe(200);
    expect(favicon.headers['content-encoding']).toBeUndefined();
    const head = await raw('/subscribe', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });
});
