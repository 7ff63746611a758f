// /metrics over HTTP: off without METRICS_TOKEN, a bearer token otherwise, and counters that move with what happens.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailEnv, postForm } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const TOKEN = randomBytes(24).toString('hex');
let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let off: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  [server, off] = await Promise.all([
    startServer({ contentDir: fixture.dir, env: emailEnv(fake, { METRICS_TOKEN: TOKEN }) }),
    startServer({ contentDir: fixture.dir }),
  ]);
});
afterAll(async () => {
  await server?.stop();
  await off?.stop();
  await fake?.close();
  fixture?.cleanup();
});

type Samples = Map<string, number>;

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABELS = `\\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\.)*"(?:,|(?=\\})))*\\}`;
const VALUE = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|NaN|[-+]Inf';
const SAMPLE = new RegExp(`^(${NAME})(${LABELS})? (${VALUE})(?: -?\\d+)?$`);
const COMMENT = new RegExp(`^# (?:HELP ${NAME} .*|TYPE ${NAME} (?:counter|gauge|histogram|summary|untyped))$`);

/** Parses Prometheus' text format strictly: every line is a comment, a TYPE/HELP line or a sample, or the test fails. */
function parse(text: string): Samples {
  const samples: Samples = new Map();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      expect(line, 'comment line').toMatch(COMMENT);
      continue;
    }
    const m = SAMPLE.exec(line);
    expect(m, `sample line: ${line}`).not.toBeNull();
    samples.set(`${m![1]}${m![2] ?? ''}`, m![3] === 'NaN' ? Number.NaN : Number(m![3]!.replace('Inf', 'Infinity')));
  }
  return samples;
}

async function scrape(): Promise<Samples> {
  const r = await server.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(r.status).toBe(200);
  expect(r.headers.get('cache-control')).toBe('no-store');
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await r.text());
}

const value = (s: Samples, key: string): number => s.get(key) ?? 0;

describe('/metrics', () => {
  it('is not there without METRICS_TOKEN', async () => {
    expect((await off.get('/metrics')).status).toBe(404);
    expect((await off.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('asks for the bearer token: none, a wrong one, or another scheme get 401', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`]) {
      const r = await server.get('/metrics', { headers: authorization ? { authorization } : {} });
      expect(r.status, String(authorization)).toBe(401);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(await r.text()).not.toContain('kaizen_');
    }
  });

  it('counts requests by route pattern and status, and response-cache hits and misses', async () => {
    const before = await scrape();
    expect((await server.get('/')).status).toBe(200);
    expect((await server.get('/')).status).toBe(200);
    expect((await server.get('/incidents/open-api-errors')).status).toBe(200);
    expect((await server.get('/incidents/no-such-incident')).status).toBe(404);
    const after = await scrape();
    expect(value(after, 'kaizen_http_requests_total{route="/",method="GET",status="200"}') - value(before, 'kaizen_http_requests_total{route="/",method="GET",status="200"}')).toBe(2);
    expect(value(after, 'kaizen_http_requests_total{route="/incidents/:id",method="GET",status="404"}')).toBeGreaterThanOrEqual(1);
    // No raw path becomes a label.
    expect([...after.keys()].some((k) => k.includes('open-api-errors') || k.includes('no-such-incident'))).toBe(false);
    expect(value(after, 'kaizen_response_cache_hits_total') - value(before, 'kaizen_response_cache_hits_total')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'kaizen_response_cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'kaizen_render_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(after.has('kaizen_render_duration_seconds_bucket{le="+Inf"}')).toBe(true);
    // The scrape itself was counted by the one before it.
    expect(value(after, 'kaizen_http_requests_total{route="/metrics",method="GET",status="200"}')).toBeGreaterThanOrEqual(1);
  });

  it('counts email sends by outcome and reads the outbox on each scrape', async () => {
    const before = await scrape();
    expect(before.get('kaizen_email_outbox_readable')).toBe(1);
    fake.queue({ kind: '500' });
    expect((await postForm(server, '/subscribe', [['email', 'reader@example.com']])).status).toBe(200);
    await eventually(async () => expect(fake.deliveredTo('reader@example.com')).toHaveLength(1), 30_000);
    await eventually(async () => {
      const s = await scrape();
      expect(value(s, 'kaizen_email_batch_calls_total{outcome="retryable"}') - value(before, 'kaizen_email_batch_calls_total{outcome="retryable"}')).toBe(1);
      expect(value(s, 'kaizen_email_batch_calls_total{outcome="accepted"}') - value(before, 'kaizen_email_batch_calls_total{outcome="accepted"}')).toBeGreaterThanOrEqual(1);
      expect(value(s, 'kaizen_emails_total{result="sent"}') - value(before, 'kaizen_emails_total{result="sent"}')).toBeGreaterThanOrEqual(1);
      expect(s.get('kaizen_email_outbox_depth')).toBe(0);
      expect(s.get('kaizen_email_outbox_oldest_unsent_age_seconds')).toBe(0);
    }, 30_000);
  });

  it('counts content files with problems', async () => {
    expect(value(await scrape(), 'kaizen_content_problems')).toBe(0);
    fixture.write('incidents/broken.md', '---\nseverity: P7\ncomponents: { ghost: major_outage }\n---\n');
    await eventually(async () => expect(value(await scrape(), 'kaizen_content_problems')).toBeGreaterThanOrEqual(1), 30_000);
  });
});
