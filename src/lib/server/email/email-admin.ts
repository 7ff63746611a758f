// What the admin email pages show: every outbox email with its state and reason, retries, previews.
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { timeView } from '../views/present.ts';
import { NO_KEY_REASON } from './delivery-loop.ts';
import { UNCERTAIN } from './delivery.ts';
import { previewLinks, type EmailData } from './email-data.ts';
import { renderEmail, type RenderedEmail } from './template.ts';

/**
 * Outbox row states; "sending" means in a stored batch awaiting Resend's answer; "uncertain" (UNCERTAIN) means its
 * batch's call went out with no final answer and Resend may have forgotten the key: a person decides.
 */
export const outboxStates = ['queued', 'sending', 'sent', 'failed', 'uncertain', 'not_sent'] as const;
export type OutboxState = (typeof outboxStates)[number];
export const outboxStateLabels: Record<OutboxState, string> = { queued: 'Queued', sending: 'Sending', sent: 'Sent', failed: 'Failed', uncertain: 'Needs a decision', not_sent: 'Not sent' };
/** What a retry of an email that may have been delivered risks, said before it is confirmed. */
export const RETRY_RISK = 'This email may already have been delivered: its batch was sent to Resend, no answer was stored, and Resend no longer recognises the batch. Retrying may send it twice.';
/** The reason kept on an email whose retry a person declined. */
export const KEPT_REASON = 'not sent again: may already have been delivered (a person decided not to retry)';
export const EMAILS_PER_PAGE = 100;

export interface OutboxRowView {
  id: string;
  to: string;
  subject: string;
  kind: string;
  state: OutboxState;
  stateLabel: string;
  reason: string | null;
  queuedAt: string;
  sentAt: string | null;
  retryable: boolean;
}

/** Stored ISO times shown like every other admin time: in the site's zone, with its abbreviation. */
const stamp = (s: string | null, timeZone: string): string | null => (s === null ? null : timeView(Date.parse(s), timeZone).text);
/** Failed emails, those held for want of an API key and (once confirmed) those that need a decision can be queued again. */
const isRetryable = (state: string, reason: string | null): boolean => state === 'failed' || state === UNCERTAIN || (state === 'not_sent' && reason === NO_KEY_REASON);

/** Counts per state, and one page of emails (newest first), optionally of one state. */
export async function outboxView(db: Db, state: OutboxState | null, page: number, timeZone: string): Promise<{ counts: Record<OutboxState, number>; rows: OutboxRowView[]; hasNext: boolean }> {
  const countRows = await db.selectFrom('email_outbox').select(['state', db.fn.countAll<number>().as('n')]).groupBy('state').execute();
  const counts = Object.fromEntries(outboxStates.map((s) => [s, 0])) as Record<OutboxState, number>;
  for (const r of countRows) if ((outboxStates as readonly string[]).includes(r.state)) counts[r.state as OutboxState] = Number(r.n);
  let q = db.selectFrom('email_outbox as o').innerJoin('email_message as m', 'm.id', 'o.message_id')
    .select(['o.id', 'o.to_address', 'o.state', 'o.reason', 'o.created_at', 'o.sent_at', 'm.subject', 'm.kind']);
  if (state) q = q.where('o.state', '=', state);
  const rows = await q.orderBy('o.created_at', 'desc').orderBy('o.id').limit(EMAILS_PER_PAGE + 1).offset((page - 1) * EMAILS_PER_PAGE).execute();
  return {
    counts,
    hasNext: rows.length > EMAILS_PER_PAGE,
    rows: rows.slice(0, EMAILS_PER_PAGE).map((r) => ({
      id: r.id, to: r.to_address, subject: r.subject, kind: r.kind, state: r.state as OutboxState,
      stateLabel: outboxStateLabels[r.state as OutboxState] ?? r.state, reason: r.reason,
      queuedAt: stamp(r.created_at, timeZone)!, sentAt: stamp(r.sent_at, timeZone), retryable: isRetryable(r.state, r.reason),
    })),
  };
}

export interface WaitingBatchView {
  id: string;
  emails: number;
  attempts: number;
  lastError: string;
  firstAttemptAt: string | null;
  nextTryAt: string;
  /** Due already (the next call goes at the next free slot of the rate limit). */
  due: boolean;
}

/** Stored batches waiting to be retried after a failed call (timeout, 5xx, network, 429), soonest first. */
export async function waitingBatches(db: Db, now: number, timeZone: string, limit = 50): Promise<{ total: number; batches: WaitingBatchView[] }> {
  const waiting = db.selectFrom('email_batch').where('state', '=', 'pending').where('attempts', '>', 0).where('last_error', 'is not', null);
  const total = Number((await waiting.select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await waiting.select(['id', 'size', 'attempts', 'last_error', 'first_attempt_at', 'next_attempt_at']).orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
  return {
    total,
    batches: rows.map((r) => ({
      id: r.id, emails: r.size, attempts: r.attempts, lastError: r.last_error ?? '', firstAttemptAt: stamp(r.first_attempt_at, timeZone),
      nextTryAt: stamp(r.next_attempt_at, timeZone)!, due: Date.parse(r.next_attempt_at) <= now,
    })),
  };
}

/**
 * Queues failed (or held) emails again: one by id, or every one when `id` is null. They go out in a new batch with a
 * new key. An email that may already have been delivered ("uncertain") is only queued by id with `acceptRisk`
 * (the person confirmed RETRY_RISK), never by the "retry every failed email" action.
 */
export async function retryEmails(db: Db, id: string | null, actor: string, now: number, options: { acceptRisk?: boolean } = {}): Promise<number> {
  const at = new Date(now).toISOString();
  const risky = id !== null && options.acceptRisk === true;
  return db.transaction().execute(async (trx) => {
    let q = trx.updateTable('email_outbox').set({ state: 'queued', reason: null, batch_id: null, link_token_hash: null, updated_at: at })
      .where((eb) => eb.or([
        eb('state', '=', 'failed'), eb.and([eb('state', '=', 'not_sent'), eb('reason', '=', NO_KEY_REASON)]),
        ...(risky ? [eb('state', '=', UNCERTAIN)] : []),
      ]));
    if (id !== null) q = q.where('id', '=', id);
    const n = Number((await q.executeTakeFirst()).numUpdatedRows);
    if (n > 0) await recordAudit(trx, { actor, action: 'emails_retried', target: id, detail: `${n} email(s) queued again${risky ? ' (accepting that it may be delivered twice)' : ''}` }, now);
    return n;
  });
}

/** Whether this email may already have been delivered, so a retry must be confirmed first (RETRY_RISK). */
export async function needsDecision(db: Db, id: string): Promise<boolean> {
  const r = await db.selectFrom('email_outbox').select('state').where('id', '=', id).executeTakeFirst();
  return r?.state === UNCERTAIN;
}

/** The other decision: an email that may have been delivered is not sent again (kept as "not sent", audited). */
export async function keepUnsent(db: Db, id: string, actor: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('email_outbox').set({ state: 'not_sent', reason: KEPT_REASON, updated_at: new Date(now).toISOString() })
      .where('id', '=', id).where('state', '=', UNCERTAIN).executeTakeFirst();
    const n = Number(r.numUpdatedRows);
    if (n > 0) await recordAudit(trx, { actor, action: 'email_not_retried', target: id, detail: 'may already have been delivered; not sent again' }, now);
    return n > 0;
  });
}

export interface EmailPreview extends Omit<OutboxRowView, 'subject'> {
  providerId: string | null;
  rendered: RenderedEmail;
  /** "Sent", or the state with its reason, without saying "not sent" twice. */
  stateText: string;
}

function stateText(label: string, reason: string | null): string {
  if (!reason) return label;
  if (reason.toLowerCase().startsWith(label.toLowerCase())) return reason.charAt(0).toUpperCase() + reason.slice(1);
  return `${label}: ${reason}`;
}

/** Any email as its recipient sees it, with placeholder personal links (real tokens are never kept). */
export async function emailPreview(db: Db, id: string, timeZone: string): Promise<EmailPreview | null> {
  const r = await db.selectFrom('email_outbox as o').innerJoin('email_message as m', 'm.id', 'o.message_id')
    .select(['o.id', 'o.to_address', 'o.state', 'o.reason', 'o.created_at', 'o.sent_at', 'o.provider_id', 'm.kind', 'm.data'])
    .where('o.id', '=', id).executeTakeFirst();
  if (!r) return null;
  const data = JSON.parse(r.data) as EmailData;
  return {
    id: r.id, to: r.to_address, kind: r.kind, state: r.state as OutboxState, stateLabel: outboxStateLabels[r.state as OutboxState] ?? r.state,
    reason: r.reason, queuedAt: stamp(r.created_at, timeZone)!, sentAt: stamp(r.sent_at, timeZone), providerId: r.provider_id,
    retryable: isRetryable(r.state, r.reason), rendered: renderEmail(data, previewLinks(data.baseUrl)),
    stateText: stateText(outboxStateLabels[r.state as OutboxState] ?? r.state, r.reason),
  };
}
