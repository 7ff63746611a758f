// An in-process SQLite database with the email tables, subscribers and notifications, for delivery tests and the benchmark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type Db } from '../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { incidentEmailData, type SiteForEmail } from '../../src/lib/server/email/compose.ts';
import { enqueueNotification } from '../../src/lib/server/email/outbox.ts';
import { newId } from '../../src/lib/server/ids.ts';
import type { Incident } from '../../src/lib/status/types.ts';

export interface EmailTestDb {
  db: Db;
  /** The SQLite file (empty for a PostgreSQL one). */
  file: string;
  cleanup: () => Promise<void>;
}

export async function emailTestDb(): Promise<EmailTestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-email-'));
  const file = path.join(dir, 'status.db');
  const db = openDb(file);
  await migrateToLatest(db);
  return {
    db,
    file,
    cleanup: async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Inserts `count` subscribers (user0@…, user1@…) in one go; returns their addresses. */
export async function seedSubscribers(db: Db, count: number, options: { state?: string; components?: string[] | null; prefix?: string; domain?: string } = {}): Promise<string[]> {
  const stamp = new Date().toISOString();
  const emails = Array.from({ length: count }, (_, i) => `${options.prefix ?? 'user'}${i}@${options.domain ?? 'example.com'}`);
  for (let i = 0; i < emails.length; i += 500) {
    await db.insertInto('subscriber').values(emails.slice(i, i + 500).map((email) => ({
      id: newId(), email, state: options.state ?? 'confirmed', components: options.components ? JSON.stringify(options.components) : null,
      suppressed_reason: null, last_confirmation_at: null, confirmed_at: stamp, unsubscribed_at: null, created_at: stamp, updated_at: stamp,
    }))).execute();
  }
  return emails;
}

export const testContext: SiteForEmail = {
  site: { name: 'Acme Cloud', url: 'https://status.acme.test', description: '', timezone: 'UTC', supportUrl: null, emailSignature: 'Engineering Team', logo: null, showReliability: false },
  components: [
    { id: 'api', name: 'Public API', description: null, baseline: 'operational', groupId: null, position: 0 },
    { id: 'dashboard', name: 'Dashboard', description: null, baseline: 'operational', groupId: null, position: 1 },
  ],
  baseUrl: 'https://status.acme.test',
};

/** Enqueues a P1 incident update on `api` to every subscriber who wants it; returns how many. */
export async function enqueueIncident(db: Db, key = `incident:test:${newId()}`, now = Date.now()): Promise<number> {
  const update = { id: 'u1', at: now, status: 'investigating' as const, message: 'We are investigating reports of elevated API error rates.', components: null };
  const incident: Incident = {
    id: 'api-errors', source: 'admin', title: 'Elevated API error rates', severity: 'P1', impactOverride: null, components: { api: 'partial_outage' },
    startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates: [update],
  };
  const n = await db.transaction().execute((trx) => enqueueNotification(trx, { key, data: incidentEmailData(testContext, incident, update), componentIds: ['api'] }, now));
  return n ?? 0;
}

/** Outbox rows per state. */
export async function outboxStates(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom('email_outbox').select(['state', db.fn.countAll<number>().as('n')]).groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Resolves once nothing is queued or being sent. */
export async function drained(db: Db, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    // One row looked up in the state index, not a count of the whole outbox (the benchmark polls 100,000 rows).
    const left = await db.selectFrom('email_outbox').select('id').where('state', 'in', ['queued', 'sending']).limit(1).executeTakeFirst();
    if (!left) return;
    if (Date.now() - start > timeoutMs) throw new Error(`outbox not drained: ${JSON.stringify(await outboxStates(db))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
