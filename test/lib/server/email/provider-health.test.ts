// The "delivery failing" state on both databases: recorded by failed calls, summarised for the dashboard from the
// waiting batches' last errors, cleared by an answered call; retry waits released on recovery.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/lib/server/db/connection.ts';
import { openDb } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { beginAttempt, prepareBatch, releaseRetries, RETRYABLE_CAP_MS, settleBatch } from '../../../../src/lib/server/email/delivery.ts';
import { clearProviderFailure, providerFailing, recordProviderFailure } from '../../../../src/lib/server/email/provider-health.ts';
import { failureCause } from '../../../../src/lib/server/email/resend-client.ts';
import { emailTestDb, enqueueIncident, seedSubscribers } from '../../../helpers/email-db.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';

const FROM = 'Acme Status <status@acme.test>';
const T0 = Date.parse('2026-12-01T03:12:30Z');

it('reads the cause back from the error texts the client writes', () => {
  expect(failureCause('429 rate_limit_exceeded: Too many requests.')).toBe('429');
  expect(failureCause('503 internal_server_error: An unexpected error occurred.')).toBe('5xx');
  expect(failureCause('no answer within 30 s')).toBe('timeouts');
  expect(failureCause('timed out after 30000 ms')).toBe('timeouts');
  expect(failureCause('fetch failed')).toBe('network');
  expect(failureCause('no response application_error: getaddrinfo ENOTFOUND api.resend.com')).toBe('network');
  expect(failureCause('409 concurrent_idempotent_requests: Same key in flight.')).toBeNull();
  expect(failureCause('Resend: Invalid `from` field.')).toBeNull();
});

const stores: Record<string, () => Promise<{ db: Db; cleanup: () => Promise<void> }>> = {
  SQLite: async () => emailTestDb(),
  PostgreSQL: async () => {
    const database = await createTestDatabase('kz_provider_health');
    const db = openDb(database.url);
    await migrateToLatest(db);
    return { db, cleanup: async () => { await db.destroy(); await database.drop(); } };
  },
};

for (const [name, open] of Object.entries(stores)) {
  describe(`provider health on ${name}`, () => {
    let s: { db: Db; cleanup: () => Promise<void> };
    beforeEach(async () => { s = await open(); }, 30_000);
    afterEach(async () => { await s.cleanup(); });

    it('says since when delivery fails and why while a batch waits, and stops once a call is answered', async () => {
      await seedSubscribers(s.db, 150);
      await enqueueIncident(s.db, undefined, T0);
      expect(await providerFailing(s.db, T0, 'Europe/Berlin')).toBeNull();
      const a = await prepareBatch(s.db, FROM, T0);
      const b = await prepareBatch(s.db, FROM, T0);
      if (!a || a === 'skipped' || !b || b === 'skipped') throw new Error('no batches');
      for (const [batch, error] of [[a, '503 internal_server_error: down'], [b, 'no answer within 30 s']] as const) {
        expect(await beginAttempt(s.db, batch, T0, () => 0)).toBe(true);
        expect(await settleBatch(s.db, batch, { ok: false, kind: 'retryable', error }, T0 + 1000, () => 0)).not.toBeNull();
        await recordProviderFailure(s.db, T0, error, T0 + 1000);
      }
      // Kept from the first failure on, in the site's zone.
      await recordProviderFailure(s.db, T0 + 60_000, '429 rate_limit_exceeded: Too many requests.', T0 + 61_000);
      const failing = await providerFailing(s.db, T0 + 90_000, 'Europe/Berlin');
      expect(failing?.text).toBe('Email delivery failing since 04:12 CET (429 / 5xx / timeouts)');
      expect(failing?.waiting).toBe(2);

      // Resend answers again: the retry waits are released, the banner is gone.
      const t = T0 + 1200;
      expect(await releaseRetries(s.db, t)).toBe(2);
      const due = await s.db.selectFrom('email_batch').select('next_attempt_at').where('state', '=', 'pending').execute();
      for (const r of due) expect(Date.parse(r.next_attempt_at)).toBe(t);
      await clearProviderFailure(s.db, t);
      expect(await providerFailing(s.db, t, 'Europe/Berlin')).toBeNull();
    });

    it('does not release a batch waiting out a longer retry-after, and shows nothing once no batch waits', async () => {
      await seedSubscribers(s.db, 10);
      await enqueueIncident(s.db, undefined, T0);
      const a = await prepareBatch(s.db, FROM, T0);
      if (!a || a === 'skipped') throw new Error('no batch');
      await beginAttempt(s.db, a, T0, () => 0);
      await settleBatch(s.db, a, { ok: false, kind: 'rate_limited', retryAfterMs: RETRYABLE_CAP_MS + 60_000, error: '429 daily_quota_exceeded: quota' }, T0, () => 0);
      await recordProviderFailure(s.db, T0, '429 daily_quota_exceeded: quota', T0);
      expect(await releaseRetries(s.db, T0 + 1000)).toBe(0);
      expect((await providerFailing(s.db, T0, 'UTC'))?.text).toBe('Email delivery failing since 03:12 UTC (429)');
      await settleBatch(s.db, a, { ok: true, ids: Array(10).fill('id'), errors: [] }, T0 + 2000, () => 0);
      expect(await providerFailing(s.db, T0 + 2000, 'UTC')).toBeNull();
    });
  });
}
