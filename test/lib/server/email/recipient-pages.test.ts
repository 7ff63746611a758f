// Recipients streamed in keyset pages, on a real SQLite file and a real PostgreSQL database: every confirmed
// subscriber exactly once across page boundaries, nobody else, the per-component rule at the boundaries, and the
// page query served from the (state, id) index.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { incidentEmailData } from '../../../../src/lib/server/email/compose.ts';
import { countRecipients, enqueueNotification } from '../../../../src/lib/server/email/outbox.ts';
import { recipientPageQuery, recipientPages } from '../../../../src/lib/server/email/recipient-pages.ts';
import { emailTestDb, seedSubscribers, testContext } from '../../../helpers/email-db.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';

interface Store { db: Db; cleanup: () => Promise<void> }

const stores: Record<string, () => Promise<Store>> = {
  SQLite: async () => emailTestDb(),
  PostgreSQL: async () => {
    const database = await createTestDatabase('kz_pages');
    const db = openDb(database.url);
    await migrateToLatest(db);
    return { db, cleanup: async () => { await db.destroy(); await database.drop(); } };
  },
};

const news = { id: 'u1', at: Date.UTC(2026, 11, 1, 12), status: 'investigating' as const, message: 'We are investigating.', components: null };
const incident = {
  id: 'api-errors', source: 'admin' as const, title: 'API errors', severity: 'P1' as const, impactOverride: null, components: { api: 'partial_outage' as const },
  startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates: [news],
};

async function enqueue(db: Db, componentIds: string[], pageSize: number): Promise<number | null> {
  const data = incidentEmailData(testContext, incident, news);
  return db.transaction().execute((trx) => enqueueNotification(trx, { key: `incident:api-errors:${componentIds.join('+')}`, data, componentIds }, news.at, [], pageSize));
}

async function outboxAddresses(db: Db): Promise<string[]> {
  return (await db.selectFrom('email_outbox').select('to_address').execute()).map((r) => r.to_address);
}

for (const [name, open] of Object.entries(stores)) {
  describe(`recipient pages on ${name}`, () => {
    let s: Store;
    beforeEach(async () => { s = await open(); }, 30_000);
    afterEach(async () => { await s.cleanup(); });

    it('delivers every confirmed subscriber to the outbox exactly once across page boundaries, holding one page at a time', async () => {
      const confirmed = await seedSubscribers(s.db, 2537, { prefix: 'ok' });
      await seedSubscribers(s.db, 41, { prefix: 'pending', state: 'pending' });
      await seedSubscribers(s.db, 33, { prefix: 'gone', state: 'unsubscribed' });
      await seedSubscribers(s.db, 12, { prefix: 'bounced', state: 'bounced' });
      const sizes: number[] = [];
      for await (const page of recipientPages(s.db, ['api'], 100)) sizes.push(page.length);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(2537);

      expect(await enqueue(s.db, ['api'], 100)).toBe(2537);
      const queued = await outboxAddresses(s.db);
      expect(queued).toHaveLength(2537);
      expect(new Set(queued)).toEqual(new Set(confirmed));
      // One stored message for all of them, not a copy per recipient.
      expect(await s.db.selectFrom('email_message').select('id').execute()).toHaveLength(1);
    });

    it('applies the per-component choice right at page boundaries', async () => {
      const all = await seedSubscribers(s.db, 23, { prefix: 'all' });
      const api = await seedSubscribers(s.db, 19, { prefix: 'api', components: ['api'] });
      const both = await seedSubscribers(s.db, 17, { prefix: 'both', components: ['dashboard', 'api'] });
      await seedSubscribers(s.db, 29, { prefix: 'dash', components: ['dashboard'] });
      await seedSubscribers(s.db, 13, { prefix: 'none', components: [] });
      await seedSubscribers(s.db, 11, { prefix: 'pendingapi', state: 'pending', components: ['api'] });
      // A page size that splits every kind of subscriber over several pages, and pages where nobody is wanted.
      for (const pageSize of [1, 7, 50, 1000]) {
        const got: string[] = [];
        for await (const page of recipientPages(s.db, ['api'], pageSize)) got.push(...page.map((r) => r.email));
        expect(got.sort(), `page size ${pageSize}`).toEqual([...all, ...api, ...both].sort());
        expect(await countRecipients(s.db, ['api'], pageSize)).toBe(59);
        expect(await countRecipients(s.db, [], pageSize)).toBe(23);
      }
      expect(await enqueue(s.db, ['api'], 7)).toBe(59);
      expect((await outboxAddresses(s.db)).sort()).toEqual([...all, ...api, ...both].sort());
    });

    it('reads each page from the (state, id) index, without a sort', async () => {
      await seedSubscribers(s.db, 3000, { prefix: 'x', components: ['api'] });
      const after = (await s.db.selectFrom('subscriber').select('id').orderBy('id').limit(1).offset(1500).executeTakeFirstOrThrow()).id;
      const compiled = recipientPageQuery(s.db, after, 1000).compile();
      let plan: string;
      if (name === 'SQLite') {
        const r = await s.db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` });
        plan = r.rows.map((x) => x.detail).join('\n');
      } else {
        await sql`analyze subscriber`.execute(s.db);
        const r = await s.db.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}` });
        plan = r.rows.map((x) => x['QUERY PLAN']).join('\n');
      }
      expect(plan).toContain('subscriber_state_id_idx');
      expect(plan).not.toMatch(/TEMP B-TREE|Sort\b|SCAN subscriber\b|Seq Scan/);
    });
  });
}
