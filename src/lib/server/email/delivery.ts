// Batches for Resend: prepared and stored (with their Idempotency-Key) before any call, then settled by the outcome.
import { sql } from 'kysely';
import { isLocale } from '../../i18n/locales.ts';
import { onPostgres, type Db } from '../db/connection.ts';
import { hashToken, newId, randomToken } from '../ids.ts';
import { packFromTemplates, unpackBatch, type StoredPayload } from './batch-payload.ts';
import { batchRenderer, LINK_TOKEN_BYTES } from './batch-render.ts';
import type { EmailData } from './email-data.ts';
import type { BatchEmail, SendOutcome } from './resend-client.ts';

/** Resend's batch endpoint takes at most 100 emails per call. */
export const MAX_BATCH = 100;
/** Resend keeps idempotency keys 24 hours; retrying later could send twice, so a batch gives up before that. */
export const GIVE_UP_AFTER_MS = 23 * 3_600_000;
/**
 * The state (of the batch and of its emails) of a batch given up on after a call went out with no answer stored:
 * it may have been delivered, so it is never sent again without a person deciding (admin → Emails).
 */
export const UNCERTAIN = 'uncertain';
/**
 * While a call is in flight its batch is not due for other instances (PostgreSQL): longer than a call may take
 * (30 s) plus the time to record its answer through a short database outage.
 */
export const IN_FLIGHT_LEASE_MS = 2 * 60_000;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 5 * 60_000;
/**
 * A timeout, 5xx or network error is retried at most this long after it (not the 5-minute cap): during a
 * provider-wide outage every stored batch is then due again within seconds of the provider's recovery. The delivery
 * loop keeps such an outage from hammering Resend (one call every few seconds while it keeps failing).
 */
export const RETRYABLE_CAP_MS = 15_000;

export interface PreparedBatch {
  id: string;
  idempotencyKey: string;
  rowIds: string[];
  emails: BatchEmail[];
  attempts: number;
  firstAttemptAt: number | null;
}


/** Why a queued row is not sent after all, or null when it goes out. */
function skipReason(kind: string, state: string | null, suppressed: string | null): string | null {
  // Reminders and invitations go to admin accounts, not subscribers.
  if (kind === 'reminder' || kind === 'invite' || kind === 'reader_link') return null;
  if (state === null) return 'subscriber removed';
  if (state === 'bounced') return `address ${suppressed ?? 'bounced'}: never mailed again`;
  if (state === 'unsubscribed') return 'unsubscribed';
  if (state === 'pending' && kind !== 'confirmation') return 'subscription not confirmed';
  return null;
}

/** Whether the batch still waits to be sent now: another instance may have settled or rescheduled it meanwhile. */
export async function batchStillDue(db: Db, batchId: string, now: number): Promise<boolean> {
  const row = await db.selectFrom('email_batch').select(['state', 'next_attempt_at']).where('id', '=', batchId).executeTakeFirst();
  return row !== undefined && row.state === 'pending' && Date.parse(row.next_attempt_at) <= now;
}

/** A batch stored earlier (a crash, a timeout, a 429 or 5xx) that is due again, excluding those in flight. */
export async function dueStoredBatch(db: Db, now: number, inFlight: ReadonlySet<string>): Promise<PreparedBatch | null> {
  let q = db.selectFrom('email_batch').selectAll().where('state', '=', 'pending').where('next_attempt_at', '<=', new Date(now).toISOString());
  if (inFlight.size > 0) q = q.where('id', 'not in', [...inFlight]);
  const row = await q.orderBy('next_attempt_at').limit(1).executeTakeFirst();
  if (!row || row.payload === null) return null;
  const payload = JSON.parse(row.payload) as StoredPayload;
  return {
    id: row.id, idempotencyKey: row.idempotency_key, rowIds: payload.rowIds, emails: unpackBatch(payload),
    attempts: row.attempts, firstAttemptAt: row.first_attempt_at === null ? null : Date.parse(row.first_attempt_at),
  };
}

/**
 * Takes up to 100 queued rows, gives each email its own link token (only the hash is kept on the row), renders
 * them and stores the batch with a new Idempotency-Key, all in one transaction. Returns null when nothing is
 * queued, 'skipped' when every row taken turned out not to be sendable (call again).
 */
export async function prepareBatch(db: Db, from: string, now: number, size = MAX_BATCH): Promise<PreparedBatch | 'skipped' | null> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('email_outbox as o')
      .innerJoin('email_message as m', 'm.id', 'o.message_id')
      .leftJoin('subscriber as s', 's.id', 'o.subscriber_id')
      .select(['o.id', 'o.to_address', 'm.id as message_id', 'm.kind', 's.state as subscriber_state', 's.suppressed_reason', 's.locale as subscriber_locale'])
      .where('o.state', '=', 'queued')
      .orderBy('o.created_at')
      .orderBy('o.id')
      .limit(size)
      .execute();
    if (rows.length === 0) return null;
    const stamp = new Date(now).toISOString();
    const id = newId();
    const idempotencyKey = `kaizen-status/batch/${id}`;
    // The batch row first (rows reference it), its payload once the rows are claimed.
    await trx.insertInto('email_batch').values({
      id, idempotency_key: idempotencyKey, state: 'pending', payload: null, size: 0, attempts: 0,
      next_attempt_at: stamp, first_attempt_at: null, last_error: null, created_at: stamp, updated_at: stamp,
    }).execute();
    // Skipped rows are settled per reason, the rest claimed with their token hashes: two or three statements per
    // batch, not one per row. Conditional: a row another worker (PostgreSQL) took meanwhile is left to it.
    const skipped = new Map<string, string[]>();
    const wanted: { row: (typeof rows)[number]; token: string }[] = [];
    for (const r of rows) {
      const skip = skipReason(r.kind, r.subscriber_state ?? null, r.suppressed_reason ?? null);
      if (skip) skipped.set(skip, [...(skipped.get(skip) ?? []), r.id]);
      else wanted.push({ row: r, token: randomToken(LINK_TOKEN_BYTES) });
    }
    for (const [reason, ids] of skipped) {
      await trx.updateTable('email_outbox').set({ state: 'not_sent', reason, updated_at: stamp }).where('id', 'in', ids).where('state', '=', 'queued').execute();
    }
    const claimed = new Set<string>();
    if (wanted.length > 0) {
      const hashOf = sql<string>`case ${sql.ref('id')} ${sql.join(wanted.map((w) => sql`when ${w.row.id} then ${hashToken(w.token)}`), sql` `)} end`;
      const taken = await trx.updateTable('email_outbox')
        .set({ state: 'sending', batch_id: id, link_token_hash: hashOf, updated_at: stamp })
        .where('id', 'in', wanted.map((w) => w.row.id)).where('state', '=', 'queued')
        .returning('id').execute();
      for (const t of taken) claimed.add(t.id);
    }
    const dataOf = new Map<string, EmailData>();
    const renderer = batchRenderer();
    const rowIds: string[] = [];
    const emails: BatchEmail[] = [];
    const tokens: string[] = [];
    const templateOf: number[] = [];
    for (const [i, { row: r, token }] of wanted.entries()) {
      // Let I/O through now and then: the call just started must leave on time (its body is still being written),
      // or its arrival bunches with the next one's and costs a 429.
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
      if (!claimed.has(r.id)) continue;
      // Each message's data is read once per batch, not once per recipient.
      let data = dataOf.get(r.message_id);
      if (!data) {
        const m = await trx.selectFrom('email_message').select('data').where('id', '=', r.message_id).executeTakeFirstOrThrow();
        data = JSON.parse(m.data) as EmailData;
        dataOf.set(r.message_id, data);
      }
      const locale = r.subscriber_locale && isLocale(r.subscriber_locale) ? r.subscriber_locale : 'en';
      const { email: rendered, template } = renderer.copy(r.message_id, data, locale, token);
      rowIds.push(r.id);
      tokens.push(encodeURIComponent(token));
      templateOf.push(template);
      emails.push({ from, to: [r.to_address], subject: rendered.subject, html: rendered.html, text: rendered.text, headers: rendered.headers });
    }
    if (emails.length === 0) {
      await trx.deleteFrom('email_batch').where('id', '=', id).execute();
      return 'skipped';
    }
    await trx.updateTable('email_batch').set({ payload: JSON.stringify(packFromTemplates(rowIds, emails, tokens, renderer.templates, templateOf) satisfies StoredPayload), size: emails.length }).where('id', '=', id).execute();
    return { id, idempotencyKey, rowIds, emails, attempts: 0, firstAttemptAt: null };
  });
}

/**
 * Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at `cap` (5 minutes unless told), each between half and
 * all of that.
 */
export function backoffMs(attempt: number, random: () => number, cap: number = BACKOFF_CAP_MS): number {
  const ceiling = Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

async function failBatch(db: Db, batch: PreparedBatch, reason: string, stamp: string, attempts: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('email_outbox').set({ state: 'failed', reason, updated_at: stamp }).where('batch_id', '=', batch.id).where('state', '=', 'sending').execute();
    await trx.updateTable('email_batch').set({ state: 'failed', payload: null, attempts, last_error: reason, updated_at: stamp }).where('id', '=', batch.id).execute();
  });
}

/**
 * Gives up on a batch whose call may have gone out (no answer stored, or only retryable ones) and whose key Resend
 * may have forgotten: its emails wait for a person to decide, never re-sent by the worker.
 */
async function holdForDecision(db: Db, batch: PreparedBatch, reason: string, stamp: string, attempts: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('email_outbox').set({ state: UNCERTAIN, reason, updated_at: stamp }).where('batch_id', '=', batch.id).where('state', '=', 'sending').execute();
    await trx.updateTable('email_batch').set({ state: UNCERTAIN, payload: null, attempts, last_error: reason, updated_at: stamp }).where('id', '=', batch.id).execute();
  });
}

const hoursSince = (from: number, now: number): number => Math.floor((now - from) / 3_600_000);

/**
 * Marks the start of a call before it is made: the attempt is counted and the batch is not due again before the
 * backoff for it (the first call's time is kept, so a batch that keeps crashing the process still gives up in time).
 * If the answer then cannot be stored (a full disk) or the process dies meanwhile, a restart sends it again, with
 * its key, no sooner than the backoff allows. On PostgreSQL the wait is at least the lease, which keeps other
 * instances off the batch while its call is out. Returns false, holding the batch for a person to decide, when its
 * key may already have expired at Resend. The write must succeed before the call is made.
 */
export async function beginAttempt(db: Db, batch: PreparedBatch, now: number, random: () => number = Math.random): Promise<boolean> {
  if (batch.firstAttemptAt !== null && now - batch.firstAttemptAt >= GIVE_UP_AFTER_MS) {
    // A call went out (the process stopped or crashed before its answer was stored, or answers were retryable):
    // Resend may have delivered it and forgotten the key by now, so sending again could deliver it twice.
    const answered = batch.attempts === 0 ? 'no answer from Resend was stored' : `${batch.attempts} attempt(s) got no final answer`;
    await holdForDecision(db, batch, `may already have been delivered: its first call went out ${hoursSince(batch.firstAttemptAt, now)} hours ago and ${answered}; Resend keeps idempotency keys 24 hours, so it was not sent again`, new Date(now).toISOString(), batch.attempts);
    return false;
  }
  const attempts = batch.attempts + 1;
  const wait = Math.max(onPostgres(db) ? IN_FLIGHT_LEASE_MS : 0, backoffMs(attempts, random, RETRYABLE_CAP_MS));
  const first = batch.firstAttemptAt === null ? { first_attempt_at: new Date(now).toISOString() } : {};
  await db.updateTable('email_batch').set({ ...first, attempts, next_attempt_at: new Date(now + wait).toISOString() }).where('id', '=', batch.id).execute();
  batch.firstAttemptAt ??= now;
  return true;
}

/**
 * The call never went out (stopped while waiting for its slot): the batch is due again at once, its attempt
 * uncounted, and when this was to be its first call it still counts as never called (`wasFirst`), so a long outage
 * after it does not make it look possibly delivered.
 */
export async function releaseAttempt(db: Db, batch: PreparedBatch, now: number, wasFirst = false): Promise<void> {
  const first = wasFirst ? { first_attempt_at: null } : {};
  if (wasFirst) batch.firstAttemptAt = null;
  await db.updateTable('email_batch').set({ attempts: batch.attempts, next_attempt_at: new Date(now).toISOString(), ...first }).where('id', '=', batch.id).where('state', '=', 'pending').execute();
}

/**
 * Resend answered again after failing: batches waiting out a timeout/5xx backoff are due now instead of up to
 * RETRYABLE_CAP_MS later (the rate limit still spaces them). Batches waiting longer (a 429's Retry-After, or on
 * PostgreSQL leased to a call in flight elsewhere) keep their time. Returns how many were released.
 */
export async function releaseRetries(db: Db, now: number): Promise<number> {
  const r = await db.updateTable('email_batch').set({ next_attempt_at: new Date(now).toISOString() })
    .where('state', '=', 'pending').where('attempts', '>', 0).where('last_error', 'is not', null)
    .where('next_attempt_at', '>', new Date(now).toISOString())
    .where('next_attempt_at', '<=', new Date(now + RETRYABLE_CAP_MS).toISOString())
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Records what Resend answered. Accepted: each row sent (or failed with Resend's message for its index).
 * Rejected (4xx): every row failed with the message. 429 / 5xx / timeout: the batch stays stored with its key and
 * is due again after retry-after or a backoff; after 23 hours of trying it waits for a person to decide (UNCERTAIN)
 * instead of risking a second send.
 * Returns when the batch is due again, or null when it is settled.
 */
export async function settleBatch(db: Db, batch: PreparedBatch, outcome: SendOutcome, now: number, random: () => number): Promise<number | null> {
  const stamp = new Date(now).toISOString();
  const attempts = batch.attempts + 1;
  if (outcome.ok) {
    const errorAt = new Map(outcome.errors.map((e) => [e.index, e.message]));
    await db.transaction().execute(async (trx) => {
      // The rare rows Resend refused one by one, the sent ones (each with its provider id) in one statement.
      const sent: { id: string; providerId: string | null }[] = [];
      for (const [i, rowId] of batch.rowIds.entries()) {
        const error = errorAt.get(i);
        if (error === undefined) sent.push({ id: rowId, providerId: outcome.ids[i] ?? null });
        else await trx.updateTable('email_outbox').set({ state: 'failed', reason: `Resend: ${error}`, updated_at: stamp }).where('id', '=', rowId).execute();
      }
      if (sent.length > 0) {
        const providerId = sql<string | null>`case ${sql.ref('id')} ${sql.join(sent.map((r) => sql`when ${r.id} then ${r.providerId}`), sql` `)} end`;
        await trx.updateTable('email_outbox').set({ state: 'sent', reason: null, provider_id: providerId, sent_at: stamp, updated_at: stamp })
          .where('id', 'in', sent.map((r) => r.id)).execute();
      }
      await trx.updateTable('email_batch').set({ state: 'sent', payload: null, attempts, last_error: null, updated_at: stamp }).where('id', '=', batch.id).execute();
    });
    return null;
  }
  if (outcome.kind === 'rejected') {
    await failBatch(db, batch, `Resend: ${outcome.error}`, stamp, attempts);
    return null;
  }
  const first = batch.firstAttemptAt ?? now;
  if (now - first >= GIVE_UP_AFTER_MS) {
    await holdForDecision(db, batch, `may already have been delivered: gave up after ${attempts} attempts over 23 hours with no final answer (last: ${outcome.error}); Resend keeps idempotency keys 24 hours, so it was not sent again`, stamp, attempts);
    return null;
  }
  const delay = outcome.kind === 'rate_limited' ? outcome.retryAfterMs : backoffMs(attempts, random, RETRYABLE_CAP_MS);
  const next = now + delay;
  await db.updateTable('email_batch').set({
    attempts, next_attempt_at: new Date(next).toISOString(), first_attempt_at: new Date(first).toISOString(), last_error: outcome.error, updated_at: stamp,
  }).where('id', '=', batch.id).execute();
  batch.attempts = attempts;
  batch.firstAttemptAt = first;
  return next;
}
