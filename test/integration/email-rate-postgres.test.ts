// Three instances of the built server on one PostgreSQL database share RESEND_RATE_LIMIT: together, never above it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/lib/server/db/connection.ts';
import { emailEnv } from '../helpers/email-flow.ts';
import { enqueueIncident, outboxStates, seedSubscribers } from '../helpers/email-db.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const LIMIT = 2;
const SUBSCRIBERS = 1600;
/**
 * A call counts when its request reaches the fake (one clock: every process runs on this machine). Between an
 * instance starting a call and the fake's event loop seeing it lie the SDK, the loopback socket and two busy event
 * loops, which can move one arrival closer to the next by a few tens of milliseconds; windows are shortened by
 * this much so that only too many calls, never a late one, count as a violation. Without the shared limit three
 * instances start a call every ~170 ms, so LIMIT + 1 calls fall within ~340 ms: far inside any such window.
 */
const TOLERANCE_MS = 50;

let url: string;
let dropDatabase: () => Promise<void> = async () => {};
let fixture: Fixture;
let fake: FakeResend;
let servers: RunningServer[] = [];
let db: Db;

beforeAll(async () => {
  const database = await createTestDatabase('kz_rate');
  url = database.url;
  dropDatabase = database.drop;
  fixture = createFixture(Date.now());
  fake = await startFakeResend({ keepBodies: false });
  const env = emailEnv(fake, { DATABASE_URL: url, RESEND_RATE_LIMIT: String(LIMIT) });
  servers = await Promise.all([1, 2, 3].map(() => startServer({ contentDir: fixture.dir, env })));
  db = openDb(url);
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await db?.destroy();
  await fake?.close();
  fixture?.cleanup();
  await dropDatabase();
});

/** Windows of (1 s - TOLERANCE_MS) that more than LIMIT calls reached, as [first call, last call] times. */
function violations(arrivals: number[]): [number, number][] {
  const at = [...arrivals].sort((a, b) => a - b);
  const found: [number, number][] = [];
  for (let i = 0; i + LIMIT < at.length; i++) {
    if (at[i + LIMIT]! - at[i]! < 1000 - TOLERANCE_MS) found.push([at[i]!, at[i + LIMIT]!]);
  }
  return found;
}

it(`three instances together start at most ${LIMIT} calls to Resend in any second, and send each email once`, async () => {
  const addresses = await seedSubscribers(db, SUBSCRIBERS);
  expect(await enqueueIncident(db)).toBe(SUBSCRIBERS);
  // Sixteen batches of 100 at 2 a second: about eight seconds, longer on a busy machine; the bound is generous.
  await eventually(async () => expect(await outboxStates(db)).toEqual({ sent: SUBSCRIBERS }), 180_000);
  expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
  expect(violations(fake.calls.map((c) => c.at))).toEqual([]);
  expect(fake.acceptedCalls().length).toBeGreaterThanOrEqual(SUBSCRIBERS / 100);
  expect(fake.calls.filter((c) => c.replayed)).toHaveLength(0);
  const delivered = fake.delivered.filter((e) => e.to[0]!.startsWith('user'));
  expect(delivered).toHaveLength(SUBSCRIBERS);
  expect(new Set(delivered.map((e) => e.to[0]))).toEqual(new Set(addresses));
}, 240_000);
