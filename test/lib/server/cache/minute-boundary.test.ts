// The minute boundary over real HTTP with an injected clock and a render the test holds open: every key's version
// moves each minute, yet 50 waiting readers cost one render, and while only the clock moved they are answered at
// once from the previous minute's copy; a data change is never answered from the old copy.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponseCache, type ResponseCache } from '../../../../src/lib/server/cache/response-cache.ts';
import { eventually } from '../../../helpers/server.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 7, 9, 59, 30);

let server: http.Server | null = null;
let release: () => void = () => {};
afterEach(async () => {
  release();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

interface Bench {
  url: string;
  renders: string[];
  received: () => number;
  cache: ResponseCache;
  /** Renders from now on wait until `open()` is called. */
  hold: () => void;
  open: () => void;
  clock: { now: number; data: number; fail: boolean };
}

async function start(withDataVersion = true): Promise<Bench> {
  const clock = { now: T0, data: 1, fail: false };
  const renders: string[] = [];
  let gate: Promise<void> | null = null;
  let received = 0;
  const cache = createResponseCache({
    maxBytes: 10_000_000,
    cacheControl: 'public, s-maxage=10',
    version: () => `${clock.data}:${Math.floor(clock.now / MINUTE)}`,
    ...(withDataVersion ? { dataVersion: () => String(clock.data) } : {}),
    render: async (key) => {
      // What the page shows is read when the render starts, as the app reads its model and clock.
      const shown = `data ${clock.data}, minute ${Math.floor(clock.now / MINUTE)}`;
      renders.push(key);
      if (gate) await gate;
      if (clock.fail) throw new Error('render failed');
      return { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from(`<p>${shown}</p>${'x'.repeat(2000)}`) };
    },
  });
  server = http.createServer((req, res) => {
    received++;
    void cache.serve(req, res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    renders,
    received: () => received,
    cache,
    clock,
    hold: () => { gate = new Promise<void>((r) => { release = () => { gate = null; r(); }; }); },
    open: () => release(),
  };
}

/** 50 connections of their own, as wrk holds them: each request on a fresh socket. */
const agent = new http.Agent({ keepAlive: false, maxSockets: 100 });

function get(url: string): Promise<{ status: number; cache: string; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers: { 'accept-encoding': 'identity' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, cache: String(res.headers['x-cache']), body: body.slice(0, body.indexOf('</p>') + 4) }));
    }).on('error', reject);
  });
}

function fifty(url: string): { done: () => number; all: Promise<Awaited<ReturnType<typeof get>>[]> } {
  let done = 0;
  const all = Promise.all(Array.from({ length: 50 }, () => get(`${url}/`).then((r) => { done++; return r; })));
  return { done: () => done, all };
}

describe('response cache at the minute boundary', () => {
  it('answers 50 readers at once from the previous minute while one render makes the new minute', async () => {
    const b = await start();
    expect((await get(`${b.url}/`)).body).toBe(`<p>data 1, minute ${Math.floor(T0 / MINUTE)}</p>`);
    b.hold();
    b.clock.now = T0 + MINUTE;
    const readers = fifty(b.url);
    // Every reader is answered while the new minute's render is still held open.
    await eventually(async () => expect(readers.done()).toBe(50), 15_000);
    const answers = await readers.all;
    const before = `<p>data 1, minute ${Math.floor(T0 / MINUTE)}</p>`;
    expect(new Set(answers.map((a) => `${a.status} ${a.cache} ${a.body}`))).toEqual(new Set([`200 stale ${before}`]));
    expect(b.renders).toEqual(['/', '/']);
    b.open();
    const after = `<p>data 1, minute ${Math.floor(T0 / MINUTE) + 1}</p>`;
    await eventually(async () => expect((await get(`${b.url}/`)).body).toBe(after));
    const again = await get(`${b.url}/`);
    expect([again.cache, again.body]).toEqual(['hit', after]);
    expect(b.renders).toHaveLength(2);
  });

  it('renders once for 50 readers waiting on a data change, and none of them gets the old data', async () => {
    for (const withDataVersion of [true, false]) {
      const b = await start(withDataVersion);
      await get(`${b.url}/`);
      b.hold();
      b.clock.data = 2;
      b.clock.now = T0 + MINUTE;
      const readers = fifty(b.url);
      await eventually(async () => expect(b.received()).toBe(51), 15_000);
      b.open();
      const answers = await readers.all;
      expect(new Set(answers.map((a) => `${a.status} ${a.cache} ${a.body}`))).toEqual(new Set([`200 miss <p>data 2, minute ${Math.floor(T0 / MINUTE) + 1}</p>`]));
      expect(b.renders).toEqual(['/', '/']);
      await new Promise<void>((r) => server!.close(() => r()));
      server = null;
    }
  });

  it('keeps answering from the previous minute when the new minute fails to render', async () => {
    const b = await start();
    await get(`${b.url}/`);
    b.clock.fail = true;
    b.clock.now = T0 + MINUTE;
    for (let i = 0; i < 3; i++) {
      const r = await get(`${b.url}/`);
      expect([r.status, r.body]).toEqual([200, `<p>data 1, minute ${Math.floor(T0 / MINUTE)}</p>`]);
    }
    b.clock.fail = false;
    await eventually(async () => expect((await get(`${b.url}/`)).body).toBe(`<p>data 1, minute ${Math.floor(T0 / MINUTE) + 1}</p>`));
  });
});
