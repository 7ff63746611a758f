// Compression for everything the response cache does not hold: the app's own answers (admin, /subscribe, the 404,
// the manage API) compressed as they leave, and the build's static files (stylesheets, scripts) compressed once
// per file and kept in memory. Images and fonts are already compressed; bodies under a kilobyte gain nothing.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Smaller bodies are sent as they are: the encoding's own overhead eats the gain. */
export const MIN_COMPRESS_BYTES = 1024;

export type Encoding = 'br' | 'gzip' | 'identity';

/** The best encoding the client accepts: brotli, then gzip, else identity. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (e: string): boolean => (accepted.get(e) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

/** Text-like media types (HTML, CSS, JavaScript, JSON, XML feeds, SVG, plain text); never images or fonts otherwise. */
export function isCompressibleType(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'text/event-stream') return false;
  return type.startsWith('text/') || /^application\/(json|javascript|xml|manifest\+json|ld\+json|[a-z.+-]*\+(json|xml))$/.test(type) || type === 'image/svg+xml';
}

/** Compresses a body with the given encoding (brotli at `quality`, gzip at level 9). */
export function compressBody(body: Buffer, encoding: 'br' | 'gzip', quality = 9): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzip(body, { level: 9 });
}

/** Adds Accept-Encoding to the response's Vary header unless it is already there. */
export function addVary(res: ServerResponse): void {
  const current = res.getHeader('vary');
  const list = current === undefined ? [] : String(current).split(',').map((v) => v.trim()).filter(Boolean);
  if (list.some((v) => v === '*' || v.toLowerCase() === 'accept-encoding')) return;
  res.setHeader('Vary', [...list, 'Accept-Encoding'].join(', '));
}

function applyHeaders(res: ServerResponse, headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined): void {
  if (!headers) return;
  if (Array.isArray(headers)) {
    // Raw [name, value, name, value…] pairs.
    for (let i = 0; i + 1 < headers.length; i += 2) res.appendHeader(String(headers[i]), headers[i + 1] as string);
    return;
  }
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
}

/**
 * Makes `res` compress a text body the app writes, when the client accepts br or gzip: the body is gathered,
 * compressed (brotli quality 5: these are rendered per request) and sent with Content-Length. A strong ETag becomes
 * weak (the bytes differ, the content does not), so the app's own If-None-Match check still answers 304.
 * Anything else (images, downloads, HEAD, 204/304, a body the app already encoded) passes through untouched.
 */
export function compressAppResponse(req: IncomingMessage, res: ServerResponse): void {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  let mode: 'undecided' | 'pass' | 'gather' = 'undecided';
  const chunks: Buffer[] = [];

  const decide = (): void => {
    if (mode !== 'undecided') return;
    mode = 'pass';
    const type = String(res.getHeader('content-type') ?? '');
    if (!isCompressibleType(type) || res.getHeader('content-encoding') !== undefined) return;
    if (res.statusCode === 204 || res.statusCode === 304 || (res.statusCode >= 100 && res.statusCode < 200)) return;
    addVary(res);
    const length = Number(res.getHeader('content-length') ?? Infinity);
    if (encoding === 'identity' || req.method === 'HEAD' || length < MIN_COMPRESS_BYTES) return;
    mode = 'gather';
  };
  const toBuffer = (chunk: unknown, enc?: BufferEncoding): Buffer => (Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, enc ?? 'utf8') : Buffer.from(chunk as Uint8Array));

  res.writeHead = function writeHead(this: ServerResponse, status: number, ...rest: unknown[]): ServerResponse {
    if (typeof rest[0] === 'string') res.statusMessage = rest.shift() as string;
    applyHeaders(res, rest[0] as OutgoingHttpHeaders | undefined);
    res.statusCode = status;
    decide();
    if (mode === 'pass') return original.writeHead.call(res, status);
    return res;
  } as ServerResponse['writeHead'];

  res.write = function write(this: ServerResponse, chunk: unknown, ...rest: unknown[]): boolean {
    decide();
    if (mode === 'pass') return (original.write as (...a: unknown[]) => boolean).call(res, chunk, ...rest);
    const enc = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined;
    chunks.push(toBuffer(chunk, enc));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (cb) process.nextTick(cb);
    return true;
  } as ServerResponse['write'];

  res.end = function end(this: ServerResponse, ...args: unknown[]): ServerResponse {
    decide();
    if (mode === 'pass') return (original.end as (...a: unknown[]) => ServerResponse).call(res, ...args);
    const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    if (args[0] !== undefined && typeof args[0] !== 'function') chunks.push(toBuffer(args[0], typeof args[1] === 'string' ? (args[1] as BufferEncoding) : undefined));
    const body = Buffer.concat(chunks);
    const send = (out: Buffer, encoded: boolean): void => {
      if (encoded) {
        res.setHeader('Content-Encoding', encoding);
        const etag = res.getHeader('etag');
        if (typeof etag === 'string' && !etag.startsWith('W/')) res.setHeader('ETag', `W/${etag}`);
      }
      res.setHeader('Content-Length', out.length);
      original.writeHead.call(res, res.statusCode);
      (original.end as (b: Buffer, cb?: () => void) => ServerResponse).call(res, out, cb);
    };
    if (body.length < MIN_COMPRESS_BYTES || encoding === 'identity') send(body, false);
    else compressBody(body, encoding, 5).then((out) => send(out, true), () => send(body, false));
    return res;
  } as ServerResponse['end'];
}

interface StaticEntry {
  mtimeMs: number;
  size: number;
  etag: string;
  variants: Partial<Record<'br' | 'gzip', Promise<Buffer>>>;
  bytes: number;
}

export interface StaticCompressor {
  /** Answers a GET/HEAD for a compressible file of the build when the client accepts br or gzip; false otherwise. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

const compressibleExtensions = new Set(['.css', '.js', '.mjs', '.json', '.svg', '.txt', '.xml', '.html', '.webmanifest', '.map', '.ics']);
const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8', '.xml': 'application/xml; charset=utf-8',
  '.html': 'text/html; charset=utf-8', '.webmanifest': 'application/manifest+json', '.map': 'application/json; charset=utf-8', '.ics': 'text/calendar; charset=utf-8',
};
/** Files bigger than this are left to the adapter (nothing in a build comes near it). */
const MAX_STATIC_BYTES = 4 * 1024 * 1024;

/**
 * Static files of the build (`dir`, Astro's dist/client) compressed on first request and kept while the file is
 * unchanged (its mtime and size). ETags name the variant (`"…-br"`), and If-None-Match with one answers 304.
 * Hashed assets under /_astro/ keep the adapter's year-long immutable Cache-Control.
 */
export function createStaticCompressor(dir: string, maxBytes = 32 * 1024 * 1024): StaticCompressor {
  const root = path.resolve(dir);
  const entries = new Map<string, StaticEntry>();
  let bytes = 0;

  function fileFor(pathname: string): { file: string; stat: fs.Stats } | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.split('/').some((s) => s.startsWith('.'))) return null;
    if (!compressibleExtensions.has(path.extname(decoded).toLowerCase())) return null;
    const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
    if (!file.startsWith(root + path.sep)) return null;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size < MIN_COMPRESS_BYTES || stat.size > MAX_STATIC_BYTES) return null;
    return { file, stat };
  }

  function variant(file: string, entry: StaticEntry, encoding: 'br' | 'gzip'): Promise<Buffer> {
    let p = entry.variants[encoding];
    if (!p) {
      p = compressBody(fs.readFileSync(file), encoding, 11).then((b) => {
        if (entries.get(file) === entry) {
          entry.bytes += b.length;
          bytes += b.length;
        }
        // Bounded: the oldest files go first (a build is far smaller than the bound).
        for (const [k, e] of entries) {
          if (bytes <= maxBytes) break;
          entries.delete(k);
          bytes -= e.bytes;
        }
        return b;
      });
      entry.variants[encoding] = p;
      p.catch(() => { delete entry.variants[encoding]; });
    }
    return p;
  }

  return {
    serve(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const found = fileFor(pathname);
      if (!found) return false;
      const encoding = chooseEncoding(req.headers['accept-encoding']);
      // The identity answer is the adapter's, which must also say that the body depends on Accept-Encoding.
      addVary(res);
      if (encoding === 'identity') return false;
      const { file, stat } = found;
      let entry = entries.get(file);
      if (!entry || entry.mtimeMs !== stat.mtimeMs || entry.size !== stat.size) {
        const hash = createHash('sha1').update(fs.readFileSync(file)).digest('base64url');
        const old = entries.get(file);
        if (old) bytes -= old.bytes;
        entry = { mtimeMs: stat.mtimeMs, size: stat.size, etag: hash, variants: {}, bytes: 0 };
        entries.set(file, entry);
      }
      const etag = `"${entry.etag}-${encoding === 'br' ? 'br' : 'gz'}"`;
      const ext = path.extname(file).toLowerCase();
      res.setHeader('Content-Type', contentTypes[ext] ?? 'application/octet-stream');
      res.setHeader('Cache-Control', pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0');
      res.setHeader('ETag', etag);
      res.setHeader('Last-Modified', stat.mtime.toUTCString());
      const inm = req.headers['if-none-match'];
      if (inm && inm.split(',').some((t) => { const v = t.trim().replace(/^W\//, ''); return v === etag || v === '*'; })) {
        res.writeHead(304);
        res.end();
        return true;
      }
      variant(file, entry, encoding).then((body) => {
        res.setHeader('Content-Encoding', encoding);
        res.setHeader('Content-Length', body.length);
        res.writeHead(200);
        res.end(req.method === 'HEAD' ? undefined : body);
      }, () => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal error');
      });
      return true;
    },
  };
}
