// The rate budget: shared through one PostgreSQL row by several limiters, kept in process on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { LATE_MS, localSendRate, sharedSendRate, spacingMs, type SendRate } from '../../../../src/lib/server/email/send-rate.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';

/** A limiter whose clock reads real time, except while `at` is set (the moment a caller starts, without waiting for it). */
function limiter(db: Db): { rate: SendRate; clock: { at: number | null } } {
  const clock = { at: null as number | null };
  return { rate: sharedSendRate(db, 2, () => clock.at ?? Date.now()), clock };
}

/** Reserves `count` starts from `limiters` in turn (as instances do, each waiting for its own); when each usable one starts. */
async function starts(limiters: ReturnType<typeof limiter>[], count: number): Promise<number[]> {
  const at: number[] = [];
  for (let i = 0; i < count; i++) {
    const { rate, clock } = limiters[i % limiters.length]!;
    const slot = await rate.reserve();
    // Started on time, at the earliest moment allowed; a slot it may not use is not sent in.
    clock.at = slot.to;
    if (rate.start(slot)) at.push(slot.to);
    clock.at = null;
  }
  return at.sort((a, b) => a - b);
}

describe('start', () => {
  it.each([
    [{ from: 100, to: 100, slack: 0 }, 100, true],
    [{ from: 100, to: 100, slack: 0 }, 100 + LATE_MS, true],
    [{ from: 100, to: 100, slack: 0 }, 101 + LATE_MS, false],
    [{ from: 100, to: 99, slack: 0 }, 99, true],
    [{ from: 100, to: 130, slack: 20 }, 130, true],
    [{ from: 100, to: 130, slack: 20 }, 130 + LATE_MS, false],
    [{ from: 100, to: 130, slack: 30 }, 129, false],
  ])('shared: %o at %d: %s', (slot, now, usable) => {
    expect(sharedSendRate(null as unknown as Db, 2, () => now).start(slot)).toBe(usable);
  });

  it('local: always, however late (the next start is then a spacing after this one)', async () => {
    let t = 0;
    const rate = localSendRate(2, () => t);
    const slot = await rate.reserve();
    t = 5000;
    expect(rate.start(slot)).toBe(true);
    expect((await rate.reserve()).to).toBe(5000 + spacingMs(2));
  });

  it('local: a start up to LATE_MS late keeps the schedule, so a late timer on every call does not stretch the run', async () => {
    let t = 0;
    const rate = localSendRate(20, () => t);
    for (let i = 0; i < 100; i++) {
      const slot = await rate.reserve();
      t = slot.to + LATE_MS;
      expect(rate.start(slot)).toBe(true);
    }
    expect((await rate.reserve()).to).toBe(100 * spacingMs(20));
    // Later than that: the next start is a full spacing after the late one.
    const slot = await rate.reserve();
    t = slot.to + LATE_MS + 1;
    rate.start(slot);
    expect((await rate.reserve()).to).toBe(t + spacingMs(20));
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
    const at = await starts(dbs.map(limiter), 12);
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
