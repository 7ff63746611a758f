// A fan-out stopped part-way (after some batches went out) and started again, on SQLite and PostgreSQL: every
// confirmed subscriber gets the email exactly once, none skipped, none twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { startDeliveryLoop, type DeliveryLoop } from '../../../../src/lib/server/email/delivery-loop.ts';
import { resendSender } from '../../../../src/lib/server/email/resend-client.ts';
import { drained, emailTestDb, enqueueIncident, outboxStates, seedSubscribers } from '../../../helpers/email-db.ts';
import { startFakeResend, type FakeResend } from '../../../helpers/fake-resend.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';
import { eventually } from '../../../helpers/server.ts';

interface Store { db: Db; cleanup: () => Promise<void> }

const stores: Record<string, () => Promise<Store>> = {
  SQLite: async () => emailTestDb(),
  PostgreSQL: async () => {
    const database = await createTestDatabase('kz_fanout');
    const db = openDb(database.url);
    await migrateToLatest(db);
    return { db, cleanup: async () => { await db.destroy(); await database.drop(); } };
  },
};

for (const [name, open] of Object.entries(stores)) {
  describe(`fan-out restart on ${name}`, () => {
    let s: Store;
    let fake: FakeResend;
    let loop: DeliveryLoop | null = null;
    beforeEach(async () => {
      s = await open();
      fake = await startFakeResend({ keepBodies: false });
      process.env.RESEND_BASE_URL = fake.url;
    }, 30_000);
    afterEach(async () => {
      await loop?.stop();
      loop = null;
      await fake.close();
      await s.cleanup();
    });

    const start = (): DeliveryLoop => startDeliveryLoop({
      db: s.db, from: 'Acme <status@acme.test>', ratePerSecond: 50, pollMs: 20, batchSize: 50, random: () => 0, log: () => {},
      sender: resendSender('re_test_key', 5000),
    });

    it('neither skips nor duplicates anyone when the worker stops after some pages and starts again', async () => {
      const confirmed = await seedSubscribers(s.db, 2537, { prefix: 'ok' });
      await seedSubscribers(s.db, 25, { prefix: 'pending', state: 'pending' });
      await seedSubscribers(s.db, 25, { prefix: 'gone', state: 'unsubscribed' });
      expect(await enqueueIncident(s.db)).toBe(2537);
      loop = start();
      await eventually(async () => expect(fake.acceptedCalls().length).toBeGreaterThanOrEqual(7), 30_000);
      await loop.stop();
      const part = await outboxStates(s.db);
      // Stopped part-way: some sent, the rest still to go.
      expect(part.sent ?? 0).toBeGreaterThan(0);
      expect((part.queued ?? 0) + (part.sending ?? 0)).toBeGreaterThan(0);
      loop = start();
      await drained(s.db, 120_000);
      expect(await outboxStates(s.db)).toEqual({ sent: 2537 });
      const counts = new Map<string, number>();
      for (const e of fake.delivered) for (const to of e.to) counts.set(to, (counts.get(to) ?? 0) + 1);
      expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
      expect(new Set(counts.keys())).toEqual(new Set(confirmed));
    }, 180_000);
  });
}
