// compressAppResponse over a real node:http server: the ways a handler writes a response, each decoded back.
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressAppResponse, isCompressibleType } from '../../../../src/lib/server/http/compression.ts';

const big = 'Status of every component. '.repeat(200);
let server: http.Server;
let base = '';

const handlers: Record<string, (res: http.ServerResponse) => void> = {
  '/chunks': (res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: '"abc"' });
    res.write(big.slice(0, 1000));
    res.write(Buffer.from(big.slice(1000)));
    res.end();
  },
  '/end-only': (res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ text: big }));
  },
  '/raw-headers': (res) => {
    res.writeHead(404, 'Not Found', ['content-type', 'text/plain', 'set-cookie', 'a=1', 'set-cookie', 'b=2']);
    res.end(big);
  },
  '/small': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
    res.end('small');
  },
  '/image': (res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.alloc(4000, 7));
  },
  '/empty': (res) => {
    res.writeHead(204);
    res.end();
  },
  '/encoded': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    res.end(zlib.gzipSync(big));
  },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    compressAppResponse(req, res);
    handlers[req.url ?? '/']!(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => { server.close(); });

function get(path: string, acceptEncoding: string, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.request(`${base}${path}`, { method, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

describe('compressAppResponse', () => {
  it('compresses a body written in chunks, brotli or gzip, and weakens its ETag', async () => {
    const br = await get('/chunks', 'gzip, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.etag).toBe('W/"abc"');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(big);
    const gz = await get('/chunks', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(big);
    const plain = await get('/chunks', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.etag).toBe('"abc"');
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body.toString()).toBe(big);
  });

  it('compresses a body given to end() alone, and keeps status, reason and repeated headers', async () => {
    const r = await get('/end-only', 'br');
    expect(JSON.parse(zlib.brotliDecompressSync(r.body).toString())).toEqual({ text: big });
    const raw = await get('/raw-headers', 'br');
    expect(raw.status).toBe(404);
    expect(raw.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(zlib.brotliDecompressSync(raw.body).toString()).toBe(big);
  });

  it('leaves small bodies, images, 204, HEAD and bodies already encoded as they are', async () => {
    const small = await get('/small', 'br');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString()).toBe('small');
    const image = await get('/image', 'br');
    expect(image.headers['content-encoding']).toBeUndefined();
    expect(image.headers.vary).toBeUndefined();
    expect(image.body.length).toBe(4000);
    expect((await get('/empty', 'br')).status).toBe(204);
    const head = await get('/chunks', 'br', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    const encoded = await get('/encoded', 'br');
    expect(encoded.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(encoded.body).toString()).toBe(big);
  });

  it.each([
    ['text/html; charset=utf-8', true], ['text/css', true], ['application/json', true], ['application/atom+xml', true],
    ['application/rss+xml; charset=utf-8', true], ['image/svg+xml', true], ['text/javascript', true], ['text/csv', true],
    ['image/png', false], ['font/woff2', false], ['application/octet-stream', false], ['text/event-stream', false], ['', false],
  ] as const)('%s compressible: %s', (type, expected) => {
    expect(isCompressibleType(type)).toBe(expected);
  });
});
