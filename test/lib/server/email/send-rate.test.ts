// The rate budget: shared through one PostgreSQL row by several limiters, kept in process on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { LATE_MS, localSendRate, sharedSendRate, slotUsable, spacingMs, type SendRate } from '../../../../src/lib/server/email/send-rate.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';

/** Reserves `count` starts from `limiters` in turn (as instances do, each waiting for its own), and returns when each usable one would start. */
async function starts(limiters: SendRate[], count: number): Promise<number[]> {
  const slots = [];
  for (let i = 0; i < count; i++) slots.push(await limiters[i % limiters.length]!.reserve());
  // A caller starts at `to` at the earliest; the slots it may not use are not sent in.
  return slots.filter((s) => slotUsable(s, s.to)).map((s) => s.to).sort((a, b) => a - b);
}

describe('slotUsable', () => {
  it.each([
    [{ from: 100, to: 100, slack: 0 }, 100, true],
    [{ from: 100, to: 100, slack: 0 }, 100 + LATE_MS, true],
    [{ from: 100, to: 100, slack: 0 }, 101 + LATE_MS, false],
    [{ from: 100, to: 99, slack: 0 }, 99, true],
    [{ from: 100, to: 130, slack: 20 }, 130, false],
    [{ from: 100, to: 130, slack: 30 }, 130, true],
    [{ from: 100, to: 130, slack: 30 }, 129, false],
  ])('%o at %d: %s', (slot, now, usable) => {
    expect(slotUsable(slot, now)).toBe(usable);
  });
});

describe('localSendRate', () => {
  it('spaces starts by 1/rate plus the margin and waits out a pause', async () => {
    let t = 10_000;
    const rate = localSendRate(2, () => t);
    expect((await rate.reserve()).to).toBe(10_000);
    expect((await rate.reserve()).to).toBe(10_000 + spacingMs(2));
    t = 20_000;
    await rate.pause(1500);
    expect((await rate.reserve()).to).toBe(21_500);
  });
});

describe('sharedSendRate (PostgreSQL)', () => {
  let drop: () => Promise<void> = async () => {};
  const dbs: Db[] = [];
  beforeAll(async () => {
    const database = await createTestDatabase('kz_sendrate');
    drop = database.drop;
    for (let i = 0; i < 3; i++) dbs.push(openDb(database.url));
    await migrateToLatest(dbs[0]!);
  });
  afterAll(async () => {
    for (const db of dbs) await db.destroy();
    await drop();
  });

  it('three limiters on one database, reserving in turn, never start more than the rate in any second', async () => {
    const limiters = dbs.map((db) => sharedSendRate(db, 2, Date.now));
    const at = await starts(limiters, 12);
    // A first reservation knows no round trip yet and may have to be given up, as may one whose answer came slowly (a busy machine).
    expect(at.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!, `start ${i}`).toBeGreaterThanOrEqual(spacingMs(2) - LATE_MS);
    for (let i = 2; i < at.length; i++) expect(at[i]! - at[i - 2]!, `starts ${i - 2}..${i}`).toBeGreaterThanOrEqual(1000);
  });

  it('a pause taken by one limiter holds the others back', async () => {
    const [a, b] = dbs.map((db) => sharedSendRate(db, 2, Date.now));
    const before = Date.now();
    await a!.pause(3000);
    expect((await b!.reserve()).from - before).toBeGreaterThanOrEqual(2900);
  });
});
