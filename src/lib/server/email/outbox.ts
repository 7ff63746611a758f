// The durable outbox: notifications become one queued row per recipient, in the caller's transaction.
import { channelEventFromEmail } from '../channels/channel-event.ts';
import { enqueueChannelEvent } from '../channels/channel-outbox.ts';
import type { ComponentChange } from '../channels/component-changes.ts';
import type { Db } from '../db/connection.ts';
import { newId, sequentialId } from '../ids.ts';
import type { EmailData } from './email-data.ts';
import { RECIPIENT_PAGE, recipientPages } from './recipient-pages.ts';
import { emailSubject } from './template.ts';

/** Rows per INSERT: far below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

export interface OutboxNotification {
  /** Ledger key (see notificationKey): a key already notified is never enqueued again. */
  key: string;
  data: EmailData;
  /** Components concerned: subscribers of any of them, and of everything, receive it. */
  componentIds: readonly string[];
  /** Component statuses this news changed (incidents): sent to webhook subscribers as component_update messages. */
  componentChanges?: readonly ComponentChange[];
}

export { parseComponents } from './recipient-pages.ts';

async function insertMessage(db: Db, data: EmailData, now: string): Promise<string> {
  const id = newId();
  await db.insertInto('email_message').values({ id, kind: data.kind, subject: emailSubject(data), data: JSON.stringify(data), created_at: now }).execute();
  return id;
}

async function insertRows(db: Db, messageId: string, recipients: readonly { id: string; email: string }[], now: string): Promise<void> {
  for (let i = 0; i < recipients.length; i += CHUNK) {
    const values = recipients.slice(i, i + CHUNK).map((r) => ({
      id: sequentialId(), message_id: messageId, subscriber_id: r.id, to_address: r.email, state: 'queued', reason: null,
      batch_id: null, link_token_hash: null, provider_id: null, created_at: now, updated_at: now, sent_at: null,
    }));
    await db.insertInto('email_outbox').values(values).execute();
  }
}

/** Ledger keys already notified, among `keys` (all of them when omitted). */
export async function notifiedKeys(db: Db, keys?: readonly string[]): Promise<Set<string>> {
  if (keys && keys.length === 0) return new Set();
  let q = db.selectFrom('email_notification').select('key');
  if (keys) q = q.where('key', 'in', [...keys]);
  return new Set((await q.execute()).map((r) => r.key));
}

/** Confirmed subscribers who would get news about `componentIds` (for "N subscribers will be emailed"). */
export async function countRecipients(db: Db, componentIds: readonly string[], pageSize = RECIPIENT_PAGE): Promise<number> {
  let n = 0;
  for await (const page of recipientPages(db, componentIds, pageSize)) n += page.length;
  return n;
}

/**
 * Enqueues a notification for every confirmed subscriber who wants it, and records its key (plus any keys it
 * `covers`) in the ledger. Call it with the transaction that writes the news. Returns the number of
 * recipients, or null when the key was already notified.
 */
export async function enqueueNotification(db: Db, n: OutboxNotification, now: number, covers: readonly string[] = [], pageSize = RECIPIENT_PAGE): Promise<number | null> {
  const allKeys = [...new Set([n.key, ...covers])];
  const done = await notifiedKeys(db, allKeys);
  if (done.has(n.key)) return null;
  const stamp = new Date(now).toISOString();
  // Recipients are streamed in pages (one page in memory at a time); the message is stored once, on the first.
  let messageId: string | null = null;
  let recipients = 0;
  for await (const page of recipientPages(db, n.componentIds, pageSize)) {
    messageId ??= await insertMessage(db, n.data, stamp);
    await insertRows(db, messageId, page, stamp);
    recipients += page.length;
  }
  const ledger = allKeys.filter((k) => !done.has(k)).map((key) => ({
    key, message_id: key === n.key ? messageId : null, recipients: key === n.key ? recipients : 0, created_at: stamp,
  }));
  await db.insertInto('email_notification').values(ledger).execute();
  // Chat and webhook subscribers get the same news, once (this runs once per key).
  const event = channelEventFromEmail(n.key, n.data, n.componentIds, now, n.componentChanges);
  if (event) await enqueueChannelEvent(db, event, now);
  return recipients;
}

/**
 * Enqueues one email to addresses that are not subscribers (admins), once per ledger key; false when the key was
 * already notified (here or, at the same moment, by another instance).
 */
export async function enqueueOnce(db: Db, key: string, data: EmailData, addresses: readonly string[], now: number): Promise<boolean> {
  if ((await notifiedKeys(db, [key])).has(key)) return false;
  const stamp = new Date(now).toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      // The ledger row first: a second instance racing for the same key fails here, before anything is queued.
      await trx.insertInto('email_notification').values({ key, message_id: null, recipients: addresses.length, created_at: stamp }).execute();
      if (addresses.length === 0) return;
      const messageId = await insertMessage(trx, data, stamp);
      await trx.updateTable('email_notification').set({ message_id: messageId }).where('key', '=', key).execute();
      const values = addresses.map((to) => ({
        id: sequentialId(), message_id: messageId, subscriber_id: null, to_address: to, state: 'queued', reason: null,
        batch_id: null, link_token_hash: null, provider_id: null, created_at: stamp, updated_at: stamp, sent_at: null,
      }));
      await trx.insertInto('email_outbox').values(values).execute();
    });
  } catch (e) {
    if ((await notifiedKeys(db, [key])).has(key)) return false;
    throw e;
  }
  return true;
}

/** Enqueues one personal email (confirmation, "already subscribed") to one subscriber. */
export async function enqueuePersonal(db: Db, subscriber: { id: string; email: string }, data: EmailData, now: number): Promise<void> {
  const stamp = new Date(now).toISOString();
  const messageId = await insertMessage(db, data, stamp);
  await insertRows(db, messageId, [subscriber], stamp);
}

/** Withdraws a subscriber's queued emails (unsubscribed, bounced or removed), with the reason shown in admin. */
export async function withdrawQueued(db: Db, subscriberId: string, reason: string, now: number): Promise<void> {
  await db.updateTable('email_outbox').set({ state: 'not_sent', reason, updated_at: new Date(now).toISOString() })
    .where('subscriber_id', '=', subscriberId).where('state', '=', 'queued').execute();
}

/** Without RESEND_API_KEY: queued emails are marked as not sent, visible and previewable in admin. */
export async function holdQueued(db: Db, reason: string, now: number): Promise<number> {
  const r = await db.updateTable('email_outbox').set({ state: 'not_sent', reason, updated_at: new Date(now).toISOString() })
    .where('state', '=', 'queued').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** How many emails wait to go out and since when (queued or in a batch being sent). */
export async function unsentSummary(db: Db): Promise<{ count: number; oldestAt: number | null }> {
  const row = await db.selectFrom('email_outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('state', 'in', ['queued', 'sending'])
    .executeTakeFirst();
  const oldest = row?.oldest ? Date.parse(String(row.oldest)) : null;
  return { count: Number(row?.n ?? 0), oldestAt: oldest };
}
