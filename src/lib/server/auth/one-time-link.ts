// One-time links for the first admin's setup, password resets and invitations: random, single use, valid 1 hour
// (an invitation 72 hours: it waits in someone else's inbox).
import type { Db } from '../db/connection.ts';
import { hashToken, randomToken } from '../ids.ts';

export const LINK_LIFETIME_MS = 60 * 60_000;
export const INVITE_LIFETIME_MS = 72 * 60 * 60_000;
export type LinkPurpose = 'setup' | 'reset';

/** Creates a link token; only its hash is stored. A reset link names the account it resets. */
export async function createOneTimeToken(db: Db, purpose: LinkPurpose, email: string | null, now: number, lifetimeMs = LINK_LIFETIME_MS): Promise<string> {
  const token = randomToken(32);
  await db
    .insertInto('one_time_token')
    .values({ id: hashToken(token), purpose, email, expires_at: new Date(now + lifetimeMs).toISOString(), used_at: null, created_at: new Date(now).toISOString() })
    .execute();
  return token;
}

/** The token's record if it is valid now (right purpose, unused, unexpired), without using it. */
export async function peekOneTimeToken(db: Db, purpose: LinkPurpose, token: string, now: number): Promise<{ id: string; email: string | null } | null> {
  const row = await db
    .selectFrom('one_time_token')
    .selectAll()
    .where('id', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date(now).toISOString())
    .executeTakeFirst();
  return row ? { id: row.id, email: row.email } : null;
}

/** Marks the token used; false when someone else used it first (the update is conditional). */
export async function consumeOneTimeToken(db: Db, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('one_time_token').set({ used_at: new Date(now).toISOString() }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Withdraws every unused link of a purpose (a new setup link replaces the old one). */
export async function revokeOneTimeTokens(db: Db, purpose: LinkPurpose, email: string | null, now: number): Promise<void> {
  let q = db.updateTable('one_time_token').set({ used_at: new Date(now).toISOString() }).where('purpose', '=', purpose).where('used_at', 'is', null);
  if (email !== null) q = q.where('email', '=', email);
  await q.execute();
}
