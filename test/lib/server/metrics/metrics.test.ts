// A scrape while the database does not answer: the outbox gauges say so, the scrape still answers, in time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../../../src/lib/server/db/connection.ts';
import { createMetrics } from '../../../../src/lib/server/metrics/metrics.ts';

let server: http.Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A query builder whose every query waits forever, as a database host that went dark. */
const hungDb = (): Db => {
  const builder: unknown = new Proxy(() => {}, {
    get: (_, prop) => (prop === 'then' ? undefined : prop.toString().startsWith('execute') ? () => new Promise(() => {}) : () => builder),
  });
  return builder as Db;
};

it('answers 200 with kaizen_email_outbox_readable 0 and NaN outbox gauges when the database hangs', async () => {
  const metrics = createMetrics({ token: 'a-long-enough-test-token', db: hungDb(), cacheStats: () => null, contentProblems: () => 2 });
  server = http.createServer((req, res) => { if (!metrics.handle(req, res)) res.end(); });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const r = await fetch(url, { headers: { authorization: 'Bearer a-long-enough-test-token' } });
  expect(r.status).toBe(200);
  const text = await r.text();
  expect(text).toMatch(/^kaizen_email_outbox_readable 0$/m);
  expect(text).toMatch(/^kaizen_email_outbox_depth NaN$/m);
  expect(text).toMatch(/^kaizen_email_outbox_oldest_unsent_age_seconds NaN$/m);
  expect(text).toMatch(/^kaizen_content_problems 2$/m);
});
