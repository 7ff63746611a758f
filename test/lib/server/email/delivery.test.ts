// The outbox worker against a fake Resend: batches of 100, rate limit, 429, 5xx, 4xx, timeouts, resuming stored batches.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { beginAttempt, GIVE_UP_AFTER_MS, prepareBatch, releaseAttempt, settleBatch } from '../../../../src/lib/server/email/delivery.ts';
import { NO_KEY_REASON, startDeliveryLoop, type DeliveryLoop } from '../../../../src/lib/server/email/delivery-loop.ts';
import { retryEmails } from '../../../../src/lib/server/email/email-admin.ts';
import { resendSender } from '../../../../src/lib/server/email/resend-client.ts';
import { drained, emailTestDb, enqueueIncident, outboxStates, seedSubscribers, type EmailTestDb } from '../../../helpers/email-db.ts';
import { startFakeResend, type FakeResend } from '../../../helpers/fake-resend.ts';
import { eventually } from '../../../helpers/server.ts';

const FROM = 'Acme Status <status@acme.test>';
let t: EmailTestDb;
let fake: FakeResend;
let loop: DeliveryLoop | null = null;

beforeEach(async () => {
  t = await emailTestDb();
  fake = await startFakeResend();
  process.env.RESEND_BASE_URL = fake.url;
});
afterEach(async () => {
  await loop?.stop();
  loop = null;
  await fake.close();
  await t.cleanup();
});

function start(options: { rate?: number; timeoutMs?: number; random?: () => number; sender?: null } = {}): void {
  loop = startDeliveryLoop({
    db: t.db, from: FROM, ratePerSecond: options.rate ?? 50, pollMs: 20, random: options.random ?? (() => 0), log: () => {},
    sender: options.sender === null ? null : resendSender('re_test_key', options.timeoutMs ?? 5000),
  });
}

/** Each address received exactly one email. */
function expectOncePerAddress(addresses: string[]): void {
  for (const a of addresses) expect(fake.deliveredTo(a), a).toHaveLength(1);
  expect(fake.delivered).toHaveLength(addresses.length);
}

describe('delivery', () => {
  it('never sends a batch again when its answer cannot be stored: it keeps storing the answer until it can', async () => {
    const addresses = await seedSubscribers(t.db, 150);
    await enqueueIncident(t.db);
    // Once a batch's call is out, storing its answer fails (as on a full disk) until the trigger is dropped.
    await sql`create trigger no_settle before update of state on email_batch when new.state = 'sent' begin select raise(abort, 'database or disk is full'); end`.execute(t.db);
    start();
    await eventually(async () => expect(fake.acceptedCalls()).toHaveLength(2), 10_000);
    // Meanwhile nothing is sent twice, however often the loop comes round (twenty rounds here).
    const beats = new Set<number>();
    await eventually(async () => {
      beats.add(loop!.health().lastBeatAt);
      expect(beats.size).toBeGreaterThanOrEqual(20);
    }, 20_000);
    expect(fake.calls).toHaveLength(2);
    await sql`drop trigger no_settle`.execute(t.db);
    await drained(t.db);
    expect(fake.calls.filter((c) => c.replayed)).toHaveLength(0);
    expect(fake.calls).toHaveLength(2);
    expectOncePerAddress(addresses);
    expect(await outboxStates(t.db)).toEqual({ sent: 150 });
  });

  it('sends 1,000 subscribers in 10 batch calls of 100, each with its own Idempotency-Key, once each', async () => {
    const addresses = await seedSubscribers(t.db, 1000);
    expect(await enqueueIncident(t.db)).toBe(1000);
    start();
    await drained(t.db);
    const accepted = fake.acceptedCalls();
    expect(accepted).toHaveLength(10);
    expect(accepted.every((c) => c.size === 100 && c.batchValidation === 'permissive')).toBe(true);
    expect(new Set(accepted.map((c) => c.idempotencyKey)).size).toBe(10);
    expectOncePerAddress(addresses);
    expect(await outboxStates(t.db)).toEqual({ sent: 1000 });
    const sent = await t.db.selectFrom('email_outbox').select(['provider_id', 'link_token_hash']).execute();
    expect(sent.every((r) => r.provider_id?.startsWith('fake_') && /^[0-9a-f]{64}$/.test(r.link_token_hash ?? ''))).toBe(true);
    const batches = await t.db.selectFrom('email_batch').select(['state', 'payload']).execute();
    expect(batches.every((b) => b.state === 'sent' && b.payload === null)).toBe(true);
  });

  it('gives every email its own unsubscribe link and the RFC 8058 headers', async () => {
    await seedSubscribers(t.db, 3);
    await enqueueIncident(t.db);
    start();
    await drained(t.db);
    const links = fake.delivered.map((e) => /<(https:\/\/status\.acme\.test\/unsubscribe\/([a-z2-7]+))>/.exec(e.headers['List-Unsubscribe'] ?? '')?.[2]);
    expect(new Set(links).size).toBe(3);
    for (const e of fake.delivered) {
      expect(e.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(e.from).toBe(FROM);
      expect(e.subject).toBe('[P1] Production Incident - Acme Cloud: Elevated API error rates');
    }
  });

  it('retries a 429 after its retry-after with the same key, and delivers exactly once', async () => {
    const addresses = await seedSubscribers(t.db, 5);
    await enqueueIncident(t.db);
    fake.queue({ kind: '429', retryAfter: 1 });
    start();
    await drained(t.db);
    expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(fake.calls[1]!.idempotencyKey).toBe(fake.calls[0]!.idempotencyKey);
    expect(fake.calls[1]!.at - fake.calls[0]!.at).toBeGreaterThanOrEqual(990);
    expectOncePerAddress(addresses);
  });

  it('retries 5xx with backoff and the same key', async () => {
    const addresses = await seedSubscribers(t.db, 2);
    await enqueueIncident(t.db);
    fake.queue({ kind: '500' }, 2);
    start({ random: () => 0 });
    await drained(t.db);
    expect(fake.calls.map((c) => c.status)).toEqual([500, 500, 200]);
    expect(new Set(fake.calls.map((c) => c.idempotencyKey)).size).toBe(1);
    // Backoff with jitter: at least half of 1 s, then of 2 s.
    expect(fake.calls[1]!.at - fake.calls[0]!.at).toBeGreaterThanOrEqual(490);
    expect(fake.calls[2]!.at - fake.calls[1]!.at).toBeGreaterThanOrEqual(990);
    expectOncePerAddress(addresses);
  });

  it('retries a call that never answers with the same key: Resend had sent it, so nothing goes twice', async () => {
    const addresses = await seedSubscribers(t.db, 4);
    await enqueueIncident(t.db);
    fake.queue({ kind: 'hang' });
    start({ timeoutMs: 300 });
    await drained(t.db);
    expect(fake.calls.map((c) => c.status)).toEqual(['hang', 200]);
    expect(fake.calls[1]!.replayed).toBe(true);
    expectOncePerAddress(addresses);
    expect(await outboxStates(t.db)).toEqual({ sent: 4 });
  });

  it('records a 4xx as failed with Resend\'s message, never retries it alone, and admin retry sends it in a new batch', async () => {
    const addresses = await seedSubscribers(t.db, 3);
    await enqueueIncident(t.db);
    fake.queue({ kind: '400', message: 'Invalid `from` field. The email address needs to follow the `email@example.com` format.' });
    start();
    await drained(t.db);
    expect(await outboxStates(t.db)).toEqual({ failed: 3 });
    const reasons = await t.db.selectFrom('email_outbox').select('reason').execute();
    expect(reasons.every((r) => r.reason === 'Resend: Invalid `from` field. The email address needs to follow the `email@example.com` format.')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls).toHaveLength(1);
    expect(await retryEmails(t.db, null, 'admin@acme.test', Date.now())).toBe(3);
    await drained(t.db);
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls[1]!.idempotencyKey).not.toBe(fake.calls[0]!.idempotencyKey);
    expectOncePerAddress(addresses);
  });

  it('fails only the email Resend refuses in a batch (permissive validation), with its message', async () => {
    await seedSubscribers(t.db, 2);
    await seedSubscribers(t.db, 1, { prefix: 'broken', domain: 'mail.invalid' });
    await enqueueIncident(t.db);
    start();
    await drained(t.db);
    expect(await outboxStates(t.db)).toEqual({ sent: 2, failed: 1 });
    const failed = await t.db.selectFrom('email_outbox').select(['to_address', 'reason']).where('state', '=', 'failed').execute();
    expect(failed).toEqual([{ to_address: 'broken0@mail.invalid', reason: 'Resend: Invalid `to` field.' }]);
  });

  it('keeps to the rate limit: at most 4 calls start in any second, and a 429 (arrival jitter) is waited out with nothing sent twice', async () => {
    const strict = await startFakeResend({ rateLimit: 4 });
    process.env.RESEND_BASE_URL = strict.url;
    const addresses = await seedSubscribers(t.db, 600);
    await enqueueIncident(t.db);
    // The loop controls when calls start; when they arrive also depends on this process's event loop, which the
    // fake shares (a busy machine delays one arrival against the next), so the spacing is measured at the start.
    const starts: number[] = [];
    const real = resendSender('re_test_key', 5000);
    loop = startDeliveryLoop({
      db: t.db, from: FROM, ratePerSecond: 4, pollMs: 20, random: () => 0, log: () => {},
      sender: { send: (emails, key, signal) => { starts.push(Date.now()); return real.send(emails, key, signal); } },
    });
    await drained(t.db);
    for (let i = 4; i < starts.length; i++) expect(starts[i]! - starts[i - 4]!, `calls ${i - 4}..${i}`).toBeGreaterThanOrEqual(1000);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(250);
    expect(strict.acceptedCalls()).toHaveLength(6);
    expect(strict.calls.filter((c) => c.replayed)).toHaveLength(0);
    for (const a of addresses) expect(strict.deliveredTo(a), a).toHaveLength(1);
    await strict.close();
  });

  it('without an API key keeps emails in the outbox as "not sent", and admin can queue them again', async () => {
    await seedSubscribers(t.db, 2);
    await enqueueIncident(t.db);
    start({ sender: null });
    await drained(t.db);
    const rows = await t.db.selectFrom('email_outbox').select(['state', 'reason']).execute();
    expect(rows).toEqual([{ state: 'not_sent', reason: NO_KEY_REASON }, { state: 'not_sent', reason: NO_KEY_REASON }]);
    await loop!.stop();
    loop = null;
    expect(await retryEmails(t.db, null, 'admin@acme.test', Date.now())).toBe(2);
    expect(await outboxStates(t.db)).toEqual({ queued: 2 });
  });

  it('skips recipients who unsubscribed or bounced after the news was queued', async () => {
    const [a, b, c] = await seedSubscribers(t.db, 3);
    await enqueueIncident(t.db);
    await t.db.updateTable('subscriber').set({ state: 'unsubscribed' }).where('email', '=', b!).execute();
    await t.db.updateTable('subscriber').set({ state: 'bounced', suppressed_reason: 'complained' }).where('email', '=', c!).execute();
    start();
    await drained(t.db);
    expect(fake.delivered.map((e) => e.to[0])).toEqual([a]);
    const reasons = await t.db.selectFrom('email_outbox').select('reason').where('state', '=', 'not_sent').orderBy('reason').execute();
    expect(reasons.map((r) => r.reason)).toEqual(['address complained: never mailed again', 'unsubscribed']);
  });
});

describe('stored batches', () => {
  it('a batch prepared before a crash is sent on restart with the key stored before the call', async () => {
    const addresses = await seedSubscribers(t.db, 3);
    await enqueueIncident(t.db);
    const batch = await prepareBatch(t.db, FROM, Date.now());
    if (!batch || batch === 'skipped') throw new Error('no batch');
    const stored = await t.db.selectFrom('email_batch').select(['idempotency_key', 'state']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ idempotency_key: batch.idempotencyKey, state: 'pending' });
    // "Crash": the process never called Resend. A new worker finds the stored batch.
    start();
    await drained(t.db);
    expect(fake.calls.map((c) => c.idempotencyKey)).toEqual([batch.idempotencyKey]);
    expectOncePerAddress(addresses);
  });

  it('gives up (waiting for a person to decide, with the reason) rather than retry after Resend may have forgotten the key', async () => {
    await seedSubscribers(t.db, 1);
    await enqueueIncident(t.db);
    const now = Date.now();
    const batch = await prepareBatch(t.db, FROM, now);
    if (!batch || batch === 'skipped') throw new Error('no batch');
    expect(await beginAttempt(t.db, batch, now)).toBe(true);
    expect(await settleBatch(t.db, batch, { ok: false, kind: 'retryable', error: '503' }, now + 1000, () => 0.5)).toBeGreaterThan(now);
    expect(await settleBatch(t.db, batch, { ok: false, kind: 'retryable', error: '503' }, now + GIVE_UP_AFTER_MS, () => 0.5)).toBeNull();
    const row = await t.db.selectFrom('email_outbox').select(['state', 'reason']).executeTakeFirstOrThrow();
    expect(row.state).toBe('uncertain');
    expect(row.reason).toMatch(/^may already have been delivered: gave up after 2 attempts over 23 hours/);
  });

  it('a batch stopped before its first call went out is sent after a day down, not held for a decision', async () => {
    await seedSubscribers(t.db, 1);
    await enqueueIncident(t.db);
    const now = Date.now();
    const batch = await prepareBatch(t.db, FROM, now);
    if (!batch || batch === 'skipped') throw new Error('no batch');
    expect(await beginAttempt(t.db, batch, now)).toBe(true);
    // Stopped while waiting for its rate slot: no call went out.
    await releaseAttempt(t.db, batch, now, true);
    const stored = await t.db.selectFrom('email_batch').select('first_attempt_at').executeTakeFirstOrThrow();
    expect(stored.first_attempt_at).toBeNull();
    batch.firstAttemptAt = null;
    expect(await beginAttempt(t.db, batch, now + 24 * 3_600_000)).toBe(true);
    expect(await outboxStates(t.db)).toEqual({ sending: 1 });
  });

  it('stop(grace) lets the call in flight finish and stores its answer; past the grace it is aborted and stays stored', async () => {
    await seedSubscribers(t.db, 2);
    await enqueueIncident(t.db);
    fake.setMode({ kind: 'hold' });
    start();
    await eventually(async () => expect(fake.calls.filter((c) => c.status === 'held')).toHaveLength(1), 20_000);
    const stopping = loop!.stop(60_000);
    fake.release();
    expect(await stopping).toBe(0);
    loop = null;
    expect(await outboxStates(t.db)).toEqual({ sent: 2 });

    await enqueueIncident(t.db);
    fake.setMode({ kind: 'hold' });
    start();
    await eventually(async () => expect(fake.calls.filter((c) => c.status === 'held')).toHaveLength(1), 20_000);
    expect(await loop!.stop(0)).toBe(1);
    loop = null;
    expect(await outboxStates(t.db)).toEqual({ sent: 2, sending: 2 });
    expect((await t.db.selectFrom('email_batch').select('state').where('state', '=', 'pending').execute())).toHaveLength(1);
  });
});
