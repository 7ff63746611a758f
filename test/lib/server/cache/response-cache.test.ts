// The response cache over real HTTP with a counting renderer: one render per key and version, variants, 304, LRU.
import http from 'node:http';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseEncoding, createResponseCache, isCacheablePath, type ResponseCache, type ResponseCacheOptions } from '../../../../src/lib/server/cache/response-cache.ts';

let server: http.Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(options: Partial<ResponseCacheOptions> & { version: () => string | null }): Promise<{ url: string; renders: string[]; cache: ResponseCache }> {
  const renders: string[] = [];
  const cache = createResponseCache({
    maxBytes: 10_000_000,
    cacheControl: 'public, s-maxage=10',
    render: async (key) => {
      renders.push(key);
      await new Promise((r) => setTimeout(r, 30));
      return { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from(`<p>${key} ${'x'.repeat(2000)} v=${options.version()}</p>`) };
    },
    ...options,
  });
  server = http.createServer((req, res) => void cache.serve(req, res));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, renders, cache };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('response cache', () => {
  it('renders concurrent misses for one key once, then serves from memory until the version changes', async () => {
    let version = 'v1';
    const { url, renders } = await serve({ version: () => version });
    await Promise.all(Array.from({ length: 20 }, () => get(`${url}/`)));
    expect(renders).toEqual(['/']);
    await get(`${url}/`);
    expect(renders).toHaveLength(1);
    version = 'v2';
    const after = await get(`${url}/`);
    expect(after.body.toString()).toContain('v=v2');
    expect(renders).toHaveLength(2);
  });

  it('keys by path and query', async () => {
    const { url, renders } = await serve({ version: () => 'v' });
    await get(`${url}/history?page=1`);
    await get(`${url}/history?page=2`);
    await get(`${url}/history?page=1`);
    expect(renders).toEqual(['/history?page=1', '/history?page=2']);
  });

  it('serves brotli and gzip variants that decompress to exactly the identity body, with Vary', async () => {
    const { url } = await serve({ version: () => 'v' });
    const identity = await get(`${url}/`, { 'accept-encoding': 'identity' });
    const br = await get(`${url}/`, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(`${url}/`, { 'accept-encoding': 'gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(zlib.brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    expect(zlib.gunzipSync(gz.body).equals(identity.body)).toBe(true);
    expect(br.body.length).toBeLessThan(identity.body.length / 5);
    for (const r of [identity, br, gz]) expect(r.headers.vary).toBe('Accept-Encoding');
    expect(new Set([identity.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
  });

  it('answers 304 to a matching If-None-Match, and 200 after the content changed', async () => {
    let version = 'v1';
    const { url } = await serve({ version: () => version });
    const first = await get(`${url}/`, { 'accept-encoding': 'br' });
    const again = await get(`${url}/`, { 'accept-encoding': 'br', 'if-none-match': first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    version = 'v2';
    const changed = await get(`${url}/`, { 'accept-encoding': 'br', 'if-none-match': first.headers.etag! });
    expect(changed.status).toBe(200);
  });

  it('keeps within its byte budget by evicting the least recently used', async () => {
    const { url, renders } = await serve({ version: () => 'v', maxBytes: 3 * 1024 });
    await get(`${url}/incidents/a`);
    await get(`${url}/incidents/b`);
    await get(`${url}/incidents/a`);
    expect(renders).toEqual(['/incidents/a', '/incidents/b', '/incidents/a']);
  });

  it('serves the last good copy when a render fails or answers 5xx, and renders afresh once it works again', async () => {
    let version = 'v1';
    let failure: 'throw' | '500' | null = null;
    const { url, renders } = await serve({
      version: () => version,
      render: async (key) => {
        renders.push(key);
        if (failure === 'throw') throw new Error('render failed');
        if (failure === '500') return { status: 500, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Internal error') };
        return { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from(`<p>good ${version}</p>`) };
      },
    });
    expect((await get(`${url}/`)).body.toString()).toBe('<p>good v1</p>');
    for (const f of ['throw', '500'] as const) {
      failure = f;
      version = `broken-${f}`;
      const r = await get(`${url}/`);
      expect(r.status).toBe(200);
      expect(r.body.toString()).toBe('<p>good v1</p>');
    }
    failure = null;
    version = 'v2';
    expect((await get(`${url}/`)).body.toString()).toBe('<p>good v2</p>');
    expect(renders).toHaveLength(4);
  });

  it('identity() reuses a valid entry, refreshes keys readers use, and never adds new ones', async () => {
    let version = 'v1';
    const { url, renders, cache } = await serve({ version: () => version });
    await get(`${url}/`);
    const hit = await cache.identity('/');
    expect(renders).toEqual(['/']);
    expect(hit.status).toBe(200);
    expect(hit.body.toString()).toContain('v=v1');
    expect(hit.headers['cache-control']).toBe('public, s-maxage=10');
    version = 'v2';
    expect((await cache.identity('/')).body.toString()).toContain('v=v2');
    await get(`${url}/`);
    expect(renders).toEqual(['/', '/']);
    const entries = cache.stats().entries;
    const miss = await cache.identity('/incidents/new');
    expect(miss.body.toString()).toContain('/incidents/new');
    expect(cache.stats().entries).toBe(entries);
    const stored = await cache.identity('/history', { store: true });
    expect(cache.stats().entries).toBe(entries + 1);
    const served = await get(`${url}/history`, { 'accept-encoding': 'br' });
    expect(zlib.brotliDecompressSync(served.body).equals(stored.body)).toBe(true);
    expect(renders.filter((r) => r === '/history')).toHaveLength(1);
  });

  it('does not store while the version is unknown', async () => {
    const { url, renders } = await serve({ version: () => null });
    await get(`${url}/`);
    await get(`${url}/`);
    expect(renders).toHaveLength(2);
  });

  it.each([
    ['br;q=1.0, gzip;q=0.8', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    ['', 'identity'],
    ['*', 'br'],
  ] as const)('chooses %j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });

  it.each([
    ['/', true], ['/history', true], ['/history/page/2', true], ['/incidents/x', true], ['/api/v2/summary.json', true], ['/badge.svg', true],
    ['/admin', false], ['/admin/incidents', false], ['/subscribe', false], ['/manage/abc', false], ['/unsubscribe/abc', false],
    ['/api/v1/incidents.json', true], ['/api/v1/pages/4kq1x0c9m2ab/components.json', false], ['/api/v1/pages/4kq1x0c9m2ab/incidents/unresolved.json', false],
  ] as const)('%s cacheable: %s', (path, expected) => {
    expect(isCacheablePath(path)).toBe(expected);
  });
});
