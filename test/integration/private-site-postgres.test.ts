// A private site's reader links and passes on PostgreSQL, where requests really run at once: the migration runs,
// a link opened by several browsers at the same moment makes exactly one pass, and passes end and expire.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { hashToken, randomToken } from '../../src/lib/server/ids.ts';
import { openReaderLink, requestReaderLink } from '../../src/lib/server/private-site/reader-link.ts';
import { endReaderPass, validateReaderPass } from '../../src/lib/server/private-site/reader-pass.ts';
import { READER_LINK_LIFETIME_MS, READER_PASS_LIFETIME_MS } from '../../src/lib/status/private-site.ts';
import { defaultSite } from '../../src/lib/server/content/content-snapshot.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

let db: Db;
let drop: () => Promise<void> = async () => {};
const ctx = { site: defaultSite, components: [], baseUrl: 'https://status.acme.test' };
const allowed = ['acme.test'];

beforeAll(async () => {
  const database = await createTestDatabase('kz_private');
  drop = database.drop;
  db = openDb(database.url);
  await migrateToLatest(db);
});
afterAll(async () => {
  await db?.destroy();
  await drop();
});

/** What the email worker does when it prepares the batch: the row's own link token, only its hash kept. */
async function linkTokenFor(email: string): Promise<string> {
  const token = randomToken(32);
  const row = await db.selectFrom('email_outbox').select('id').where('to_address', '=', email).where('link_token_hash', 'is', null).executeTakeFirstOrThrow();
  await db.updateTable('email_outbox').set({ link_token_hash: hashToken(token), state: 'sent' }).where('id', '=', row.id).execute();
  return token;
}

it('queues a link only for an allowed address, and a link opened by several at once makes one pass', async () => {
  const now = Date.now();
  expect(await requestReaderLink(db, ctx, { email: 'Reader@acme.test', ip: '203.0.113.1', next: '/history', locale: 'en' }, allowed, now)).toEqual({ ok: true });
  expect(await requestReaderLink(db, ctx, { email: 'reader@elsewhere.test', ip: '203.0.113.1', next: '/', locale: 'en' }, allowed, now)).toEqual({ ok: true });
  expect((await db.selectFrom('email_outbox').select('to_address').execute()).map((r) => r.to_address)).toEqual(['reader@acme.test']);
  const token = await linkTokenFor('reader@acme.test');
  const passes = await Promise.all(Array.from({ length: 8 }, () => openReaderLink(db, token, allowed, now + 1000)));
  const made = passes.filter((p) => p !== null);
  expect(made).toHaveLength(1);
  expect(await validateReaderPass(db, made[0]!.token, allowed, now + 2000)).toEqual({ email: 'reader@acme.test' });
  // The pass stops when its domain is no longer allowed, when it ends, and when it expires.
  expect(await validateReaderPass(db, made[0]!.token, ['other.test'], now + 2000)).toBeNull();
  expect(await validateReaderPass(db, made[0]!.token, allowed, now + 1000 + READER_PASS_LIFETIME_MS + 1)).toBeNull();
  await endReaderPass(db, made[0]!.token, now + 3000);
  expect(await validateReaderPass(db, made[0]!.token, allowed, now + 4000)).toBeNull();
  // Ending the pass does not make its link usable again.
  expect(await openReaderLink(db, token, allowed, now + 5000)).toBeNull();
  const stored = JSON.stringify(await db.selectFrom('reader_pass').selectAll().execute());
  expect(stored).not.toContain(made[0]!.token);
  expect(stored).not.toContain(token);
});

it('refuses a link after 15 minutes, and throttles the fourth request for one address', async () => {
  const now = Date.now();
  const email = 'late@acme.test';
  for (let i = 0; i < 3; i++) expect((await requestReaderLink(db, ctx, { email, ip: `203.0.113.${10 + i}`, next: '/', locale: 'de' }, allowed, now + i)).ok).toBe(true);
  const fourth = await requestReaderLink(db, ctx, { email, ip: '203.0.113.20', next: '/', locale: 'de' }, allowed, now + 10);
  expect(fourth.ok).toBe(false);
  const token = await linkTokenFor(email);
  expect(await openReaderLink(db, token, allowed, now + READER_LINK_LIFETIME_MS + 1)).toBeNull();
});
