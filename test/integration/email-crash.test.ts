// Exactly once across crashes: the server is SIGKILLed after enqueueing, and again in the middle of a send.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { seedSubscribers } from '../helpers/email-db.ts';
import { emailEnv, firstAdmin, outboxIdle, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const SUBSCRIBERS = 250;
let fixture: Fixture;
let fake: FakeResend;
let dataDir: string;
const servers: RunningServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.stop();
  await fake?.close();
  fixture?.cleanup();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function kill(server: RunningServer): Promise<void> {
  const exited = new Promise((r) => server.process.once('exit', r));
  server.process.kill('SIGKILL');
  await exited;
}

const start = async (): Promise<RunningServer> => {
  const s = await startServer({ contentDir: fixture.dir, dataDir, env: emailEnv(fake, { RESEND_RATE_LIMIT: '50' }) });
  servers.push(s);
  return s;
};
const states = (): Record<string, number> =>
  Object.fromEntries(query<{ state: string; n: number }>({ dataDir }, 'select state, count(*) as n from email_outbox group by state').map((r) => [r.state, r.n]));

it('delivers every email exactly once after a SIGKILL right after enqueueing and another in the middle of a send', async () => {
  fixture = createFixture(Date.now());
  // Only the admin's incident should email anyone: drop the fixture's recent markdown news.
  fixture.remove('incidents/open-api-errors.md');
  fixture.remove('maintenance/db-upgrade.md');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-crash-'));
  const db = openDb(path.join(dataDir, 'status.db'));
  await migrateToLatest(db);
  const addresses = await seedSubscribers(db, SUBSCRIBERS, { components: ['api'] });
  await db.destroy();
  fake = await startFakeResend();
  fake.setMode({ kind: 'hang' });

  // 1. Enqueue (one transaction with the incident), then kill at once.
  const first = await start();
  const admin = await firstAdmin(first);
  const local = new Date(Date.now() - 5 * 60_000).toISOString().slice(0, 16);
  const r = await admin.post('/admin/incidents/new', {
    title: 'Checkout failing', severity: 'P1', 'component.api': 'major_outage', detected: local,
    message: 'We are investigating reports of failed checkouts.\nUpdates will be provided every 15 minutes.', notify: 'auto',
  });
  expect(r.status).toBe(303);
  await kill(first);
  const afterFirst = states();
  expect((afterFirst.queued ?? 0) + (afterFirst.sending ?? 0)).toBe(SUBSCRIBERS);

  // 2. Restart: the worker sends; Resend (the fake) processes the batch but the answer never comes. Kill mid-call.
  const second = await start();
  await eventually(async () => expect(fake.calls.filter((c) => c.status === 'hang').length).toBeGreaterThan(0), 30_000);
  await kill(second);
  expect(fake.delivered.length).toBeGreaterThan(0);
  expect(states().sent ?? 0).toBe(0);

  // 3. Restart with Resend answering: stored batches go again with their stored keys; the fake replays those it processed.
  fake.setMode({ kind: 'ok' });
  await start();
  await eventually(async () => expect(states()).toEqual({ sent: SUBSCRIBERS }), 60_000);
  await outboxIdle({ dataDir });
  for (const a of addresses) expect(fake.deliveredTo(a), a).toHaveLength(1);
  expect(fake.delivered).toHaveLength(SUBSCRIBERS);
  expect(fake.calls.some((c) => c.replayed)).toBe(true);
  const keys = query<{ n: number }>({ dataDir }, 'select count(distinct idempotency_key) as n from email_batch')[0]!.n;
  expect(keys).toBe(Math.ceil(SUBSCRIBERS / 100));
  expect(query({ dataDir }, 'select id from email_outbox where provider_id is null')).toEqual([]);
}, 240_000);
