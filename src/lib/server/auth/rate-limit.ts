// Sign-in throttling, kept in the database so every instance sees the same counts (decision record 009). An attempt
// is reserved (a failure row written) before its password is verified, in one transaction that also decides, so
// parallel guesses cannot all pass the check; a success deletes its reservation.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { onPostgres } from '../db/connection.ts';
import { newId } from '../ids.ts';
import {
  ACCOUNT_WINDOW_MS, decideSignIn, FAILURE_RETENTION_MS, KNOWN_ADDRESS_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
  MAX_FAILURES_PER_ADDRESS, THROTTLE_WINDOW_MS, type SignInHistory,
} from './throttle-rule.ts';

export type Reservation = { ok: true } | { ok: false; retryAfterSeconds: number };

// PostgreSQL advisory-lock namespaces (any fixed numbers): one lock per account, one per address, always taken in
// that order, so reservations touching the same account or address take turns and none waits in a cycle.
const ACCOUNT_LOCK = 72_720_901;
const ADDRESS_LOCK = 72_720_902;

const iso = (t: number): string => new Date(t).toISOString();

async function recentTimes(db: Db, where: { email?: string; ip?: string }, since: number, limit: number): Promise<number[]> {
  let q = db.selectFrom('sign_in_attempt').select('at').where('at', '>', iso(since));
  if (where.email !== undefined) q = q.where('email', '=', where.email);
  if (where.ip !== undefined) q = q.where('ip', '=', where.ip);
  const rows = await q.orderBy('at', 'desc').limit(limit).execute();
  return rows.map((r) => Date.parse(r.at));
}

/** What the rule needs to know about this account and address now. */
async function readHistory(db: Db, email: string, ip: string, now: number): Promise<SignInHistory> {
  const known = await db
    .selectFrom('sign_in_known_address')
    .select('ip')
    .where('email', '=', email)
    .where('ip', '=', ip)
    .where('last_success_at', '>', iso(now - KNOWN_ADDRESS_MS))
    .executeTakeFirst();
  return {
    accountAndAddress: await recentTimes(db, { email, ip }, now - THROTTLE_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS),
    address: await recentTimes(db, { ip }, now - THROTTLE_WINDOW_MS, MAX_FAILURES_PER_ADDRESS),
    account: known ? [] : await recentTimes(db, { email }, now - ACCOUNT_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT),
    knownAddress: known !== undefined,
  };
}

/**
 * Reserves one attempt for (account, address) if the rule allows it: the decision and the insert happen in one
 * transaction (SQLite: one connection, Kysely runs one transaction at a time; PostgreSQL: advisory locks on the
 * account and the address). The reservation counts as a failure until `settleSuccessfulSignIn` removes it.
 */
export async function reserveSignInAttempt(db: Db, email: string, ip: string, now: number): Promise<Reservation> {
  const decision = await db.transaction().execute(async (trx) => {
    if (onPostgres(trx)) {
      await sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK}, hashtext(${email}))`.execute(trx);
      await sql`select pg_advisory_xact_lock(${ADDRESS_LOCK}, hashtext(${ip}))`.execute(trx);
    }
    const throttle = decideSignIn(await readHistory(trx, email, ip, now), now);
    if (!throttle.throttled) await trx.insertInto('sign_in_attempt').values({ id: newId(), email, ip, at: iso(now) }).execute();
    return throttle;
  });
  if (decision.throttled) return { ok: false, retryAfterSeconds: decision.retryAfterSeconds };
  // Old rows are worthless; prune a little on every evaluated attempt.
  await db.deleteFrom('sign_in_attempt').where('at', '<', iso(now - 2 * FAILURE_RETENTION_MS)).execute();
  return { ok: true };
}

/** A correct password: its reservation and this address's failures for the account go; the address becomes known. */
export async function settleSuccessfulSignIn(db: Db, email: string, ip: string, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sign_in_attempt').where('email', '=', email).where('ip', '=', ip).execute();
    await trx
      .insertInto('sign_in_known_address')
      .values({ email, ip, last_success_at: iso(now) })
      .onConflict((oc) => oc.columns(['email', 'ip']).doUpdateSet({ last_success_at: iso(now) }))
      .execute();
    await trx.deleteFrom('sign_in_known_address').where('last_success_at', '<', iso(now - KNOWN_ADDRESS_MS)).execute();
  });
}

/** A password reset or a removed account: no address keeps the exemption it earned before. */
export async function forgetKnownAddresses(db: Db, email: string): Promise<void> {
  await db.deleteFrom('sign_in_known_address').where('email', '=', email).execute();
}
