// Render once, serve many times: public responses kept in memory per path and the query parameters that path
// reads, with their brotli and gzip variants, validated against the data version, bounded by a byte budget that
// counts keys, headers and every variant (least recently used out).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseEncoding, compressBody, MIN_COMPRESS_BYTES } from '../http/compression.ts';
import { splitLocalePrefix } from '../../i18n/locales.ts';

export { chooseEncoding };

export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Entry {
  key: string;
  version: string;
  /** The data version it was rendered at (null when the cache was not given one). */
  dataVersion: string | null;
  status: number;
  headers: Record<string, string>;
  etag: string;
  identity: Buffer;
  /** Compressed once, when first asked for (a page the static export rendered may never be). */
  variants: Partial<Record<'br' | 'gzip', Promise<Buffer>>>;
  bytes: number;
}

export interface ResponseCacheOptions {
  /** Renders the path (with query) through the app, uncompressed. */
  render: (pathAndQuery: string) => Promise<RenderedResponse>;
  /** The data version now, or null while the app cannot say yet (nothing is stored then). */
  version: () => string | null;
  /**
   * The data version alone (without the minute): an entry whose data version is still current differs only by the
   * clock, so it is served while one request renders its successor (the minute boundary without a stall).
   */
  dataVersion?: () => string | null;
  maxBytes: number;
  cacheControl: string;
}

/** Paths whose responses are the same for every reader and may be shared. */
const cacheable = [
  /^\/$/,
  /^\/(history|postmortems|reliability)$/,
  /^\/history\/page\/[^/]+$/,
  /^\/(incidents|postmortems|maintenance)\/[^/]+$/,
  /^\/history\.(atom|rss)$/,
  /^\/maintenance\.ics$/,
  /^\/badge\.svg$/,
  /^\/components\/[^/]+\/(badge\.svg|history\.(atom|rss))$/,
  // Not the manage API (/api/v1/pages/…): its answers depend on the caller's API key.
  /^\/api\/v[12]\/(?!pages\/).+\.json$/,
];

/** A page under a language prefix ('/de/history') is cached like its unprefixed route, under its own key. */
function withoutLocale(pathname: string): string {
  const prefix = splitLocalePrefix(pathname);
  return prefix && !prefix.rest.startsWith('/api/') ? prefix.rest : pathname;
}

/** The admin session cookie's name (auth/session.ts SESSION_COOKIE; this module stays free of the bundle's imports). */
const SESSION_COOKIE_NAME = 'kaizen_session';

/** True when a Cookie header carries a non-empty session cookie: such a request is rendered for its reader, never cached. */
export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  if (!cookieHeader) return false;
  return cookieHeader.split(';').some((part) => {
    const eq = part.indexOf('=');
    return eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE_NAME && part.slice(eq + 1).trim() !== '';
  });
}

export function isCacheablePath(pathname: string): boolean {
  const p = withoutLocale(pathname);
  return cacheable.some((r) => r.test(p));
}

/**
 * The query parameters each cacheable path reads (test/lib/server/cache/cache-key.test.ts checks the pages against
 * this list); any other parameter is dropped from the cache key and from the request the app renders.
 */
export const cacheQueryParams: readonly { path: RegExp; params: readonly string[] }[] = [
  { path: /^\/history$/, params: ['page', 'component', 'month'] },
  { path: /^\/history\/page\/[^/]+$/, params: ['component', 'month'] },
  { path: /^\/api\/v1\/(incidents|uptime)\.json$/, params: ['days', 'limit'] },
  { path: /^\/api\/v1\/components\/[^/]+\.json$/, params: ['days', 'limit'] },
];

/** The query parameters the page at `pathname` reads; none for most. */
export function queryParamsFor(pathname: string): readonly string[] {
  const p = withoutLocale(pathname);
  return cacheQueryParams.find((r) => r.path.test(p))?.params ?? [];
}

/**
 * The cache key of a request target: its path, then only the parameters the path reads, each once (its first
 * value, as `searchParams.get` reads it) in a fixed order, so `/?junk=1` is the `/` entry.
 */
export function cacheKey(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return pathAndQuery;
  // A slice, fine for looking up; what is stored is copied first (ownKey), so no entry keeps a long URL alive.
  const pathname = pathAndQuery.slice(0, q);
  const names = queryParamsFor(pathname);
  if (names.length === 0) return pathname;
  const given = new URLSearchParams(pathAndQuery.slice(q + 1));
  const kept = new URLSearchParams();
  for (const name of names) {
    const v = given.get(name);
    if (v !== null) kept.set(name, v);
  }
  const query = kept.toString();
  return query === '' ? pathname : `${pathname}?${query}`;
}

/** A copy, not a slice: V8 keeps a long string's slice pointing into the whole (a 14 KB query kept alive per entry). */
function ownKey(key: string): string {
  return Buffer.from(key).toString();
}

/** What an entry costs besides its bodies: the key and the headers (twice: stored and as sent), and the object. */
function overheadBytes(key: string, headers: Record<string, string>): number {
  let n = 256 + 2 * Buffer.byteLength(key);
  for (const [k, v] of Object.entries(headers)) n += Buffer.byteLength(k) + Buffer.byteLength(v) + 32;
  return n;
}

function storable(r: RenderedResponse): boolean {
  if (r.status !== 200 && r.status !== 404 && r.status !== 400) return false;
  if (r.headers['set-cookie']) return false;
  return !/private|no-store/i.test(r.headers['cache-control'] ?? '');
}

export interface ResponseCache {
  /** Serves a GET/HEAD for a cacheable path; resolves once the response is written. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * The identity body, status and headers a reader would get for the path now (the static export's renderer).
   * A valid cached entry is reused. A miss is stored when `store` is set (a page that reads the clock: readers in
   * the same minute then get the very bytes exported) or readers already use that key; otherwise it is not, so
   * exporting a large archive never evicts the pages readers ask for. Compressed variants are made on first use.
   */
  identity(pathAndQuery: string, options?: { store?: boolean }): Promise<RenderedResponse>;
  stats(): { entries: number; bytes: number; hits: number; misses: number; renders: number; stale: number; previousMinute: number };
  /** Requests answered from memory and requests that were not (for /metrics). */
  readonly hits: number;
  readonly misses: number;
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Entry>>();
  let bytes = 0;
  const counters = { hits: 0, misses: 0, renders: 0, stale: 0, previousMinute: 0 };

  function evict(): void {
    for (const [k, e] of entries) {
      if (bytes <= options.maxBytes) break;
      entries.delete(k);
      bytes -= e.bytes;
    }
  }

  function remember(key: string, entry: Entry): void {
    const old = entries.get(key);
    if (old) {
      bytes -= old.bytes;
      entries.delete(key);
    }
    if (entry.bytes > options.maxBytes) return;
    entries.set(key, entry);
    bytes += entry.bytes;
    evict();
  }

  function publicHeaders(r: RenderedResponse): Record<string, string> {
    const headers = { ...r.headers };
    for (const h of ['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'etag', 'vary']) delete headers[h];
    headers['cache-control'] = options.cacheControl;
    return headers;
  }

  async function build(requested: string, version: string | null, store = true): Promise<Entry> {
    counters.renders++;
    const dataVersion = options.dataVersion?.() ?? null;
    const key = ownKey(requested);
    const r = await options.render(key);
    const etag = `"${createHash('sha1').update(r.body).digest('base64url')}"`;
    const headers = publicHeaders(r);
    const entry: Entry = { key, version: version ?? '', dataVersion, status: r.status, headers, etag, identity: r.body, variants: {}, bytes: r.body.length + etag.length + overheadBytes(key, headers) };
    if (store && version !== null && storable(r)) remember(key, entry);
    return entry;
  }

  function variant(entry: Entry, encoding: 'br' | 'gzip'): Promise<Buffer> {
    let p = entry.variants[encoding];
    if (!p) {
      const body = entry.identity;
      p = compressBody(body, encoding, 9).then((b) => {
        entry.bytes += b.length;
        if (entries.get(entry.key) === entry) {
          bytes += b.length;
          evict();
        }
        return b;
      });
      entry.variants[encoding] = p;
    }
    return p;
  }

  async function write(req: IncomingMessage, res: ServerResponse, entry: Entry, cache: 'hit' | 'miss' | 'stale'): Promise<void> {
    // A tiny body (a badge, an empty list) is sent as it is: compressing it gains nothing.
    const encoding = entry.identity.length < MIN_COMPRESS_BYTES ? 'identity' : chooseEncoding(req.headers['accept-encoding']);
    const etag = encoding === 'identity' ? entry.etag : `${entry.etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
    // X-Cache says whether this process answered from memory (for tests and operators; proxies add their own).
    const headers: Record<string, string | number> = { ...entry.headers, etag, vary: 'Accept-Encoding', 'x-cache': cache };
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => [entry.etag, etag, '*'].includes(t.trim().replace(/^W\//, '')))) {
      // A 304 keeps the CORS headers: a browser widget revalidating cross-origin reads nothing without them.
      const cors = Object.fromEntries(Object.entries(entry.headers).filter(([k]) => k.startsWith('access-control-')));
      res.writeHead(304, { ...cors, etag, vary: 'Accept-Encoding', 'cache-control': entry.headers['cache-control']!, 'x-cache': cache });
      res.end();
      return;
    }
    const body = encoding === 'identity' ? entry.identity : await variant(entry, encoding);
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    headers['content-length'] = body.length;
    res.writeHead(entry.status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return {
    async serve(req, res) {
      const key = cacheKey(req.url ?? '/');
      const version = options.version();
      const hit = entries.get(key);
      if (hit && version !== null && hit.version === version) {
        counters.hits++;
        entries.delete(key);
        entries.set(hit.key, hit);
        await write(req, res, hit, 'hit');
        return;
      }
      // Only the clock moved (same data version): the previous minute's copy answers while its successor renders.
      const current = hit && hit.dataVersion !== null && version !== null ? options.dataVersion?.() ?? null : null;
      const previousMinute = current !== null && hit!.dataVersion === current;
      if (!previousMinute) counters.misses++;
      // Concurrent misses for one key at one version render once.
      const flightKey = `${version ?? 'cold'}\u0000${key}`;
      let pending = inflight.get(flightKey);
      if (!pending) {
        pending = build(key, version)
          .then((fresh) => (fresh.status >= 500 ? (entries.get(key) ?? fresh) : fresh))
          .catch((e: unknown) => {
            // Stale beats broken: a render that fails (a bug, a failed part) serves the last good copy if there is one.
            const stale = entries.get(key);
            if (!stale) throw e;
            counters.stale++;
            return stale;
          })
          .finally(() => inflight.delete(flightKey));
        inflight.set(flightKey, pending);
        // Nobody may await it (every reader got the previous minute's copy): a failure is the next reader's to see.
        pending.catch(() => {});
      }
      if (previousMinute) {
        counters.previousMinute++;
        await write(req, res, hit!, 'stale');
        return;
      }
      await write(req, res, await pending, 'miss');
    },
    async identity(pathAndQuery, { store = false } = {}) {
      const key = cacheKey(pathAndQuery);
      const version = options.version();
      const hit = entries.get(key);
      const answer = (e: Entry): RenderedResponse => ({ status: e.status, headers: { ...e.headers }, body: e.identity });
      if (hit && version !== null && hit.version === version) return answer(hit);
      const flightKey = `${version ?? 'cold'}\u0000${key}`;
      let pending = inflight.get(flightKey);
      if (!pending) {
        pending = build(key, version, store || hit !== undefined).finally(() => inflight.delete(flightKey));
        inflight.set(flightKey, pending);
      }
      return answer(await pending);
    },
    stats: () => ({ entries: entries.size, bytes, ...counters }),
    get hits() { return counters.hits; },
    get misses() { return counters.misses; },
  };
}
