// A correct password waiting for its second factor: a random token in a short-lived cookie, only its hash stored,
// bound to one user, used once.
import type { AstroCookies } from 'astro';
import type { Db } from '../db/connection.ts';
import { hashToken, randomToken } from '../ids.ts';

export const PENDING_SIGN_IN_MS = 5 * 60_000;
export const PENDING_COOKIE = 'kaizen_pending_sign_in';
const COOKIE_PATH = '/admin/login';

/** Stores a pending sign-in for the user and returns its token. */
export async function createPendingSignIn(db: Db, userId: string, ip: string, now: number): Promise<{ token: string; expiresAt: number }> {
  const token = randomToken(20);
  const expiresAt = now + PENDING_SIGN_IN_MS;
  await db.deleteFrom('pending_sign_in').where('expires_at', '<', new Date(now).toISOString()).execute();
  await db
    .insertInto('pending_sign_in')
    .values({ id: hashToken(token), user_id: userId, ip, expires_at: new Date(expiresAt).toISOString(), created_at: new Date(now).toISOString() })
    .execute();
  return { token, expiresAt };
}

/** The user a pending token belongs to, if it is unexpired; it stays usable until `consumePendingSignIn`. */
export async function peekPendingSignIn(db: Db, token: string, now: number): Promise<{ id: string; userId: string; email: string } | null> {
  const row = await db
    .selectFrom('pending_sign_in')
    .innerJoin('app_user', 'app_user.id', 'pending_sign_in.user_id')
    .select(['pending_sign_in.id', 'pending_sign_in.user_id', 'app_user.email'])
    .where('pending_sign_in.id', '=', hashToken(token))
    .where('pending_sign_in.expires_at', '>', new Date(now).toISOString())
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, email: row.email } : null;
}

/** Deletes the pending sign-in; false when another request did first (single use). */
export async function consumePendingSignIn(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('pending_sign_in').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export function setPendingCookie(cookies: AstroCookies, token: string, secure: boolean): void {
  cookies.set(PENDING_COOKIE, token, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: PENDING_SIGN_IN_MS / 1000 });
}

export function deletePendingCookie(cookies: AstroCookies, secure: boolean): void {
  cookies.delete(PENDING_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure });
}
