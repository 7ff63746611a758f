// A send whose answer cannot be stored (the disk fills while the call is out) is not sent again: not by the loop
// meanwhile, not by restarts on the full disk; once the disk has room it goes out again once, with its own key.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { emailEnv, firstAdmin, outboxIdle, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { incidentFields, seedReaders } from '../helpers/outage.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { canMount, fillDiskUnder, smallDisk } from '../helpers/small-disk.ts';

const SUBSCRIBERS = 200;
const RESTARTS = 2;

let fixture: Fixture;
let fake: FakeResend;
let disk: ReturnType<typeof smallDisk> = null;
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  await fake?.close();
  fixture?.cleanup();
  disk?.unmount();
});

interface Ready { checks: { database: { ok: boolean; reason: string | null }; email_worker: { last_beat: string; paused: string | null } } }
const ready = async (s: RunningServer): Promise<Ready> => (await (await s.get('/readyz')).json()) as Ready;

/** Waits until the delivery loop has come round `n` more times (its heartbeat moved), instead of sleeping. */
async function loopRounds(s: RunningServer, n: number): Promise<void> {
  const beats = new Set<string>();
  await eventually(async () => {
    beats.add((await ready(s)).checks.email_worker.last_beat);
    expect(beats.size).toBeGreaterThan(n);
  }, 60_000);
}

async function kill(s: RunningServer): Promise<void> {
  const exited = new Promise((r) => s.process.once('exit', r));
  s.process.kill('SIGKILL');
  await exited;
}

it.skipIf(!canMount)('never sends a batch again at full rate when its answer cannot be stored, across restarts on the full disk', async () => {
  disk = smallDisk(64)!;
  fixture = createFixture(Date.now());
  fixture.remove('incidents/open-api-errors.md');
  fixture.remove('maintenance/db-upgrade.md');
  fake = await startFakeResend();
  const start = async (): Promise<RunningServer> => {
    const s = await startServer({ contentDir: fixture.dir, dataDir: disk!.dir, env: emailEnv(fake, { RESEND_RATE_LIMIT: '2' }) });
    servers.push(s);
    return s;
  };
  const file = path.join(disk.dir, 'status.db');
  let server = await start();
  const seeder = openDb(file);
  const addresses = await seedReaders(seeder, SUBSCRIBERS);
  await seeder.destroy();
  const admin = await firstAdmin(server);

  // Resend takes both batches and answers only once the disk is full.
  fake.setMode({ kind: 'hold' });
  expect((await admin.post('/admin/incidents/new', incidentFields('Checkout failing before the disk fills', 'auto'))).status).toBe(303);
  await eventually(async () => expect(fake.calls).toHaveLength(SUBSCRIBERS / 100), 30_000);
  const filler = await fillDiskUnder(file);
  fake.setMode({ kind: 'ok' });
  fake.releaseHeld();
  await eventually(async () => expect((await ready(server)).checks.database.reason).toBe('the disk is full'), 30_000);
  expect(fake.delivered).toHaveLength(SUBSCRIBERS);
  expect(query<{ n: number }>({ dataDir: disk.dir }, "select count(*) as n from email_outbox where state = 'sent'")[0]!.n).toBe(0);

  // The loop keeps going round; nothing is sent again.
  await loopRounds(server, 5);
  expect(fake.calls).toHaveLength(SUBSCRIBERS / 100);

  // The process dies (as a supervisor restarting it on errors would see) and starts again on the full disk, twice:
  // the batches are still stored as unanswered, but none goes out again while its attempt cannot be recorded.
  for (let i = 0; i < RESTARTS; i++) {
    await kill(server);
    server = await start();
    await eventually(async () => expect((await ready(server)).checks.email_worker.paused).toBeTruthy(), 30_000);
    await loopRounds(server, 3);
  }
  expect(fake.calls).toHaveLength(SUBSCRIBERS / 100);

  // Room again: each batch goes out once more with its own key (Resend answers from its idempotency store), and is settled.
  fs.rmSync(filler);
  await outboxIdle({ dataDir: disk.dir }, 60_000);
  expect(query<{ n: number }>({ dataDir: disk.dir }, "select count(*) as n from email_outbox where state = 'sent'")[0]!.n).toBe(SUBSCRIBERS);
  const keys = new Set(fake.calls.slice(0, SUBSCRIBERS / 100).map((c) => c.idempotencyKey));
  const again = fake.calls.slice(SUBSCRIBERS / 100);
  expect(again.length).toBeLessThanOrEqual(SUBSCRIBERS / 100);
  for (const c of again) {
    expect(keys.has(c.idempotencyKey)).toBe(true);
    expect(c.replayed).toBe(true);
  }
  const counts = new Map<string, number>();
  for (const e of fake.delivered) for (const to of e.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  expect(addresses.filter((a) => counts.get(a) !== 1)).toEqual([]);
}, 300_000);
