// The cache key keeps only the query parameters a page reads, and the byte budget counts everything an entry holds.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extrasQuerySchema } from '../../../../src/lib/server/api/extras.ts';
import { cacheKey, createResponseCache, isCacheablePath, queryParamsFor, type ResponseCache } from '../../../../src/lib/server/cache/response-cache.ts';

const root = path.resolve(import.meta.dirname, '../../../..');
let server: http.Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

async function serve(maxBytes: number, body: (key: string) => Buffer, headers: Record<string, string> = {}): Promise<{ url: string; renders: string[]; cache: ResponseCache }> {
  const renders: string[] = [];
  const cache = createResponseCache({
    maxBytes,
    cacheControl: 'public, s-maxage=10',
    version: () => 'v',
    render: async (key) => {
      renders.push(key);
      return { status: 200, headers: { 'content-type': 'text/html', ...headers }, body: body(key) };
    },
  });
  server = http.createServer((req, res) => void cache.serve(req, res));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, renders, cache };
}

describe('cacheKey', () => {
  it('drops every query parameter a path does not read', () => {
    expect(cacheKey('/')).toBe('/');
    expect(cacheKey('/?junk=1')).toBe('/');
    expect(cacheKey(`/incidents/abc?${'x'.repeat(14_000)}=1`)).toBe('/incidents/abc');
    expect(cacheKey('/history.atom?utm_source=feed')).toBe('/history.atom');
    expect(cacheKey('/api/v2/summary.json?callback=x')).toBe('/api/v2/summary.json');
  });

  it('keeps the parameters a path reads, once each (the first value), in a fixed order', () => {
    expect(cacheKey('/history?junk=1&page=2')).toBe('/history?page=2');
    expect(cacheKey('/history?page=2&page=3')).toBe('/history?page=2');
    expect(cacheKey('/api/v1/uptime.json?limit=5&days=7&x=1')).toBe('/api/v1/uptime.json?days=7&limit=5');
    expect(cacheKey('/api/v1/uptime.json?days=7&limit=5')).toBe('/api/v1/uptime.json?days=7&limit=5');
    expect(cacheKey('/api/v1/components/api.json?days=30')).toBe('/api/v1/components/api.json?days=30');
    expect(cacheKey('/history?')).toBe('/history');
  });

  // The allow-list cannot drift from the pages: every parameter a public page reads must be in it for that path.
  it('lists every query parameter each cacheable page reads', () => {
    const pagesDir = path.join(root, 'src/pages');
    const files = (fs.readdirSync(pagesDir, { recursive: true }) as string[]).filter((f) => /\.(astro|ts)$/.test(f) && !f.startsWith('admin'));
    const checked: string[] = [];
    const neverCached = ['private.astro', 'private/open/[token].astro'];
    for (const file of files) {
      const source = fs.readFileSync(path.join(pagesDir, file), 'utf8');
      const read = new Set([...source.matchAll(/searchParams\.get\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!));
      if (/parseExtrasQuery\(/.test(source)) for (const k of Object.keys(extrasQuerySchema.shape)) read.add(k);
      // Any other way of reading the query would escape this check: say so rather than pass.
      const other = source.replace(/searchParams\.get\(\s*['"][^'"]+['"]/g, '').replace(/parseExtrasQuery\(url\.searchParams\)/g, '');
      expect(other, `${file} reads the query in a way this test does not know`).not.toMatch(/searchParams|url\.search|\.search\b|request\.url/);
      // A private site's door reads `next` and is never cached (private, no-store, and no cache while private).
      if (read.size === 0 || neverCached.includes(file.replace(/\\/g, '/'))) continue;
      // A sample path for the route: each [param] becomes a segment, the extension stays.
      const route = `/${file.replace(/\\/g, '/').replace(/\.(astro|ts)$/, '').replace(/(^|\/)index$/, '').replace(/\[[^\]]+\]/g, 'x')}`;
      expect(isCacheablePath(route), `${route} (${file})`).toBe(true);
      expect([...queryParamsFor(route)].sort(), `${route} (${file})`).toEqual(expect.arrayContaining([...read].sort()));
      checked.push(route);
    }
    expect(checked).toEqual(expect.arrayContaining(['/history', '/api/v1/incidents.json', '/api/v1/uptime.json', '/api/v1/components/x.json']));
  });
});

describe('the response cache byte budget', () => {
  it('answers a query string the page does not read from the entry without it, as a hit', async () => {
    const { url, renders, cache } = await serve(10_000_000, (key) => Buffer.from(`<p>${key}</p>`));
    const first = await get(`${url}/`);
    expect(first.headers['x-cache']).toBe('miss');
    for (let i = 0; i < 20; i++) {
      const r = await get(`${url}/?junk=${i}&${'q'.repeat(2000)}`);
      expect(r.headers['x-cache']).toBe('hit');
      expect(r.body.toString()).toBe('<p>/</p>');
    }
    expect(renders).toEqual(['/']);
    expect(cache.stats().entries).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([20, 1]);
  });

  it('counts the key and the headers of an entry, not only its body', async () => {
    const bigHeader = 'h'.repeat(5000);
    const { url, cache } = await serve(10_000_000, () => Buffer.from('tiny'), { 'x-big': bigHeader });
    const key = `/history?page=${'7'.repeat(8000)}`;
    await get(`${url}${key}`, { 'accept-encoding': 'identity' });
    expect(cache.stats().entries).toBe(1);
    expect(cache.stats().bytes).toBeGreaterThan(4 + 8000 + 5000);
  });

  it('counts every encoding served (identity, gzip, brotli) and stays within the budget as variants are added', async () => {
    // Incompressible bodies of 20 KB, so that each variant is about as large as the identity body.
    const random = (): Buffer => randomBytes(20_000);
    const budget = 300_000;
    const { url, cache } = await serve(budget, random);
    await get(`${url}/incidents/one`, { 'accept-encoding': 'identity' });
    const identityOnly = cache.stats().bytes;
    await get(`${url}/incidents/one`, { 'accept-encoding': 'gzip' });
    const withGzip = cache.stats().bytes;
    await get(`${url}/incidents/one`, { 'accept-encoding': 'br' });
    const withBrotli = cache.stats().bytes;
    expect(identityOnly).toBeGreaterThan(20_000);
    expect(withGzip - identityOnly).toBeGreaterThan(19_000);
    expect(withBrotli - withGzip).toBeGreaterThan(19_000);
    for (let i = 0; i < 40; i++) {
      for (const enc of ['identity', 'gzip', 'br']) {
        await get(`${url}/incidents/n${i}`, { 'accept-encoding': enc });
        expect(cache.stats().bytes).toBeLessThanOrEqual(budget);
      }
    }
    // Each entry with all three variants costs over 60 KB: at most 4 fit in 300 KB.
    expect(cache.stats().entries).toBeLessThanOrEqual(4);
    expect(cache.stats().entries).toBeGreaterThanOrEqual(3);
  });
});
