// A stored batch keeps the recipients and the rendered message once, not a hundred copies of it.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { incidentEmailData } from '../../../../src/lib/server/email/compose.ts';
import { prepareBatch } from '../../../../src/lib/server/email/delivery.ts';
import { enqueueNotification } from '../../../../src/lib/server/email/outbox.ts';
import type { Incident } from '../../../../src/lib/status/types.ts';
import { emailTestDb, seedSubscribers, testContext, type EmailTestDb } from '../../../helpers/email-db.ts';

let t: EmailTestDb;
beforeEach(async () => { t = await emailTestDb(); });
afterEach(async () => { await t.cleanup(); });

/** An update of `paragraphs` paragraphs, about 3.5 KB of markdown for 17 (a 19 KB email). */
function longUpdate(paragraphs: number): string {
  return Array.from({ length: paragraphs }, (_, i) =>
    `Paragraph ${i + 1}: we are investigating elevated error rates on the public API in eu-west. Requests to **/v1/orders** fail with 502 for about 4 % of callers; retries succeed. Next update within 30 minutes.`).join('\n\n');
}

it('stores a batch of 100 recipients of one ~19 KB email in under 100 KB', async () => {
  await seedSubscribers(t.db, 100);
  const now = Date.now();
  const update = { id: 'u1', at: now, status: 'investigating' as const, message: longUpdate(17), components: null };
  const incident: Incident = {
    id: 'api-errors', source: 'admin', title: 'Elevated API error rates', severity: 'P1', impactOverride: null, components: { api: 'partial_outage' },
    startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates: [update],
  };
  await t.db.transaction().execute((trx) => enqueueNotification(trx, { key: 'incident:size', data: incidentEmailData(testContext, incident, update), componentIds: ['api'] }, now));
  const batch = await prepareBatch(t.db, 'Acme Status <status@acme.test>', now);
  if (!batch || batch === 'skipped') throw new Error('no batch');
  expect(batch.emails).toHaveLength(100);
  // What goes to Resend: a hundred emails of about 19 KB each.
  const emailBytes = Buffer.byteLength(batch.emails[0]!.html) + Buffer.byteLength(batch.emails[0]!.text) + Buffer.byteLength(batch.emails[0]!.subject);
  expect(emailBytes).toBeGreaterThan(17_000);
  expect(emailBytes).toBeLessThan(21_000);
  const sentBytes = Buffer.byteLength(JSON.stringify(batch.emails));
  expect(sentBytes).toBeGreaterThan(1_700_000);
  // What is stored: the body once, per recipient the address, the token and the headers.
  const row = await t.db.selectFrom('email_batch').select(['payload', 'size']).where('id', '=', batch.id).executeTakeFirstOrThrow();
  const storedBytes = Buffer.byteLength(row.payload!);

  expect(row.size).toBe(100);
  expect(storedBytes).toBeLessThan(100_000);
  // Each recipient's address is kept, and the body only once.
  const payload = JSON.parse(row.payload!) as { rowIds: string[]; bodies: unknown[]; items: { to: string[] }[] };
  expect(payload.rowIds).toHaveLength(100);
  expect(payload.bodies).toHaveLength(1);
  expect(new Set(payload.items.map((i) => i.to[0]))).toEqual(new Set(batch.emails.map((e) => e.to[0])));
});
