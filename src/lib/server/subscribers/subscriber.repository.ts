// Subscriber rows: plain functions taking the connection first, so they compose inside transactions.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { SubscriberTable } from '../db/schema.ts';
import { parseComponents } from '../email/outbox.ts';
import { hashToken, newId } from '../ids.ts';
import { subscriberStates, type Subscriber, type SubscriberState } from './subscriber.schemas.ts';

const time = (s: string | null): number | null => (s === null ? null : Date.parse(s));

/** Row → domain object. */
export function subscriberRowToSubscriber(r: SubscriberTable): Subscriber {
  return {
    id: r.id,
    email: r.email,
    state: r.state as SubscriberState,
    components: parseComponents(r.components),
    suppressedReason: r.suppressed_reason,
    createdAt: Date.parse(r.created_at),
    confirmedAt: time(r.confirmed_at),
    unsubscribedAt: time(r.unsubscribed_at),
  };
}

/** The row for a normalized address, or null. */
export async function findSubscriberRowByEmail(db: Db, email: string): Promise<SubscriberTable | null> {
  return (await db.selectFrom('subscriber').selectAll().where('email', '=', email).executeTakeFirst()) ?? null;
}

/** The row for an id, or null. */
export async function findSubscriberRowById(db: Db, id: string): Promise<SubscriberTable | null> {
  return (await db.selectFrom('subscriber').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** A new pending subscriber; components null means every component. */
export async function insertSubscriber(db: Db, email: string, components: string[] | null, now: number): Promise<SubscriberTable> {
  const stamp = new Date(now).toISOString();
  const row: SubscriberTable = {
    id: newId(), email, state: 'pending', components: components === null ? null : JSON.stringify(components), suppressed_reason: null,
    last_confirmation_at: null, confirmed_at: null, unsubscribed_at: null, created_at: stamp, updated_at: stamp,
  };
  await db.insertInto('subscriber').values(row).execute();
  return row;
}

/** Patches a row, stamping updated_at. */
export async function updateSubscriber(db: Db, id: string, patch: Partial<Omit<SubscriberTable, 'id' | 'email' | 'created_at'>>, now: number): Promise<void> {
  await db.updateTable('subscriber').set({ ...patch, updated_at: new Date(now).toISOString() }).where('id', '=', id).execute();
}

/** Deletes a row; its outbox rows keep their history with subscriber_id set to null. */
export async function deleteSubscriberRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('subscriber').where('id', '=', id).execute();
}

/** The email a personal link token belongs to: its subscriber, its kind and when it was queued. */
export async function findLinkOwner(db: Db, token: string): Promise<{ subscriberId: string; kind: string; queuedAt: number } | null> {
  if (!/^[a-z2-7]{20,80}$/.test(token)) return null;
  const r = await db
    .selectFrom('email_outbox as o')
    .innerJoin('email_message as m', 'm.id', 'o.message_id')
    .select(['o.subscriber_id', 'o.created_at', 'm.kind'])
    .where('o.link_token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!r || r.subscriber_id === null) return null;
  return { subscriberId: r.subscriber_id, kind: r.kind, queuedAt: Date.parse(r.created_at) };
}

/** How many subscribers are in each state. */
export async function countSubscribersByState(db: Db): Promise<Record<SubscriberState, number>> {
  const rows = await db.selectFrom('subscriber').select(['state', db.fn.countAll<number>().as('n')]).groupBy('state').execute();
  const out = Object.fromEntries(subscriberStates.map((s) => [s, 0])) as Record<SubscriberState, number>;
  for (const r of rows) if ((subscriberStates as readonly string[]).includes(r.state)) out[r.state as SubscriberState] = Number(r.n);
  return out;
}

/** Subscribers whose address contains `query` (all when blank), newest first. */
export async function searchSubscriberRows(db: Db, query: string, limit: number, offset: number): Promise<SubscriberTable[]> {
  let q = db.selectFrom('subscriber').selectAll();
  const term = query.trim().toLowerCase();
  // LIKE with an explicit escape character behaves the same in SQLite and PostgreSQL.
  if (term !== '') q = q.where(sql<boolean>`email like ${`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
}

/** Counts toward the per-address and per-IP limits. */
export async function recordSubscribeAttempt(db: Db, email: string, ip: string, now: number): Promise<void> {
  await db.insertInto('subscribe_attempt').values({ id: newId(), email, ip, at: new Date(now).toISOString() }).execute();
}

/** Attempts by address and by IP since `since`; old rows are pruned on the way. */
export async function countSubscribeAttempts(db: Db, email: string, ip: string, since: number): Promise<{ byEmail: number; byIp: number }> {
  const s = new Date(since).toISOString();
  await db.deleteFrom('subscribe_attempt').where('at', '<', new Date(since - 3_600_000).toISOString()).execute();
  const [e, i] = await Promise.all([
    db.selectFrom('subscribe_attempt').select(db.fn.countAll<number>().as('n')).where('email', '=', email).where('at', '>', s).executeTakeFirstOrThrow(),
    db.selectFrom('subscribe_attempt').select(db.fn.countAll<number>().as('n')).where('ip', '=', ip).where('at', '>', s).executeTakeFirstOrThrow(),
  ]);
  return { byEmail: Number(e.n), byIp: Number(i.n) };
}
