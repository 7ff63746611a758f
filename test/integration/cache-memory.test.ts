// Junk query strings cannot grow the server's memory past the cache budget, nor skip the cache: 10,000 distinct
// query strings of ~14 KB each, which no page reads, are all answered from the one entry per page.
import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { inspectorUrl, memoryAfterGc, type MemoryUse } from '../helpers/inspector.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const BUDGET = 2 * 1024 * 1024;
let fixture: Fixture;
let server: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  // The inspector (loopback, a free port) lets the test force a garbage collection before it measures.
  server = await startServer({ contentDir: fixture.dir, env: { CACHE_MAX_BYTES: String(BUDGET), NODE_OPTIONS: '--inspect=127.0.0.1:0' } });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

const MB = 1024 * 1024;
/** What the process holds after a full collection: the JavaScript heap and memory outside it (Buffers). */
const held = (m: MemoryUse): number => m.heapUsed + m.external;
const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function get(pathAndQuery: string, encoding: string): Promise<{ status: number; cache: string | undefined }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path: pathAndQuery, agent, headers: { 'accept-encoding': encoding } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, cache: res.headers['x-cache'] as string | undefined }));
    }).on('error', reject);
  });
}

const pages = ['/', '/history', '/incidents/open-api-errors', '/history.atom', '/api/v2/summary.json', '/api/v1/uptime.json?days=7', '/badge.svg'];
const encodings = ['br, gzip', 'gzip', 'identity'];
/** A distinct query string of about 14 KB that no page reads. */
const junk = (i: number): string => `junk${i}=${i.toString(36).padStart(14_000, 'x')}&utm_source=${i}`;
const withJunk = (p: string, i: number): string => `${p}${p.includes('?') ? '&' : '?'}${junk(i)}`;

/** Runs `count` requests, `concurrency` at a time; returns how many were not a 200 cache hit. */
async function run(count: number, concurrency: number, offset: number): Promise<{ notOk: string[]; misses: number; minutesCrossed: number }> {
  const notOk: string[] = [];
  let misses = 0;
  let next = 0;
  const startMinute = Math.floor(Date.now() / 60_000);
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const p = pages[i % pages.length]!;
      const r = await get(withJunk(p, offset + i), encodings[i % encodings.length]!);
      if (r.status !== 200) notOk.push(`${p}: ${r.status}`);
      if (r.cache !== 'hit') misses++;
    }
  }));
  return { notOk, misses, minutesCrossed: Math.floor(Date.now() / 60_000) - startMinute };
}

describe('the response cache under junk query strings', () => {
  it('answers them all as cache hits, and what the process holds after a collection grows by at most the budget plus 10 % and 4 MB', async () => {
    // Warm up: every page in every encoding is in the cache, and the runtime has seen this traffic.
    for (const p of pages) for (const e of encodings) expect((await get(p, e)).status, p).toBe(200);
    const warm = await run(1000, 16, 0);
    expect(warm.notOk).toEqual([]);
    const before = await memoryAfterGc(inspectorUrl(server.output()));

    const { notOk, misses, minutesCrossed } = await run(10_000, 16, 1000);
    expect(notOk).toEqual([]);
    // Entries are valid for their minute (pages show durations): a run that crosses a minute re-renders each page
    // once, and the requests waiting on that render count as misses — at most one per worker and page. Junk that
    // made its own key would miss on every one of the 10,000.
    expect(misses).toBeLessThanOrEqual(minutesCrossed * 16 * pages.length);
    const after = await memoryAfterGc(inspectorUrl(server.output()));

    // What the process holds after a full collection may grow by at most the cache's budget plus 10 % (what the
    // accounting cannot see exactly), plus 4 MB for the runtime itself (compiled code, internal tables). The
    // resident size is not bounded here: the allocator keeps freed pages, and 10,000 URLs of 14 KB pass through
    // (about 100 MB of RSS that it reuses, measured on this machine, whether or not the cache keeps anything).
    const growth = held(after) - held(before);
    const bound = BUDGET * 1.1 + 4 * MB;
    expect(growth, `heap + external grew by ${mb(growth)} (bound ${mb(bound)})`).toBeLessThanOrEqual(bound);
    console.log(`after GC: heap + external ${mb(held(before))} → ${mb(held(after))}; RSS ${mb(before.rss)} → ${mb(after.rss)}`);
  }, 120_000);
});
