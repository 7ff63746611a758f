// Sessions as the Lucia guide designs them: a random token in a cookie, only its SHA-256 stored.
import type { AstroCookies } from 'astro';
import type { Db } from '../db/connection.ts';
import { hashToken, randomToken } from '../ids.ts';

const DAY = 86_400_000;
export const SESSION_LIFETIME_MS = 30 * DAY;
/** Used in its last 15 days, a session is extended to a fresh 30. */
export const SESSION_RENEW_WITHIN_MS = 15 * DAY;
export const SESSION_COOKIE = 'kaizen_session';

export interface Session {
  id: string;
  userId: string;
  expiresAt: number;
}

export interface SessionUser {
  id: string;
  email: string;
}

export type SessionValidation = { session: Session; user: SessionUser; renewed: boolean } | { session: null; user: null; renewed: false };

export function generateSessionToken(): string {
  return randomToken(20);
}

export async function createSession(db: Db, token: string, userId: string, now: number): Promise<Session> {
  const session: Session = { id: hashToken(token), userId, expiresAt: now + SESSION_LIFETIME_MS };
  await db
    .insertInto('user_session')
    .values({ id: session.id, user_id: userId, expires_at: new Date(session.expiresAt).toISOString(), created_at: new Date(now).toISOString() })
    .execute();
  return session;
}

/** Looks the token up; deletes it when expired; extends it when used in its last 15 days. */
export async function validateSessionToken(db: Db, token: string, now: number): Promise<SessionValidation> {
  const id = hashToken(token);
  const row = await db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
    .select(['user_session.id', 'user_session.user_id', 'user_session.expires_at', 'app_user.email'])
    .where('user_session.id', '=', id)
    .executeTakeFirst();
  if (!row) return { session: null, user: null, renewed: false };
  const session: Session = { id: row.id, userId: row.user_id, expiresAt: Date.parse(row.expires_at) };
  if (now >= session.expiresAt) {
    await db.deleteFrom('user_session').where('id', '=', id).execute();
    return { session: null, user: null, renewed: false };
  }
  let renewed = false;
  if (now >= session.expiresAt - SESSION_RENEW_WITHIN_MS) {
    session.expiresAt = now + SESSION_LIFETIME_MS;
    await db.updateTable('user_session').set({ expires_at: new Date(session.expiresAt).toISOString() }).where('id', '=', id).execute();
    renewed = true;
  }
  return { session, user: { id: row.user_id, email: row.email }, renewed };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

/** Ends every session of the user ("sign out everywhere", password reset, removal). */
export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}

export function setSessionCookie(cookies: AstroCookies, token: string, expiresAt: number, secure: boolean): void {
  cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(expiresAt) });
}

export function deleteSessionCookie(cookies: AstroCookies, secure: boolean): void {
  cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 });
}
