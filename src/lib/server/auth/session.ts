// Sessions as the Lucia guide designs them: a random token in a cookie, only its SHA-256 stored.
import type { AstroCookies } from 'astro';
import type { Db } from '../db/connection.ts';
import { DatabaseUnavailableError } from '../db/db-errors.ts';
import { hashToken, randomToken } from '../ids.ts';
import type { Role } from '../../status/roles.ts';
import { storedRole } from './users.ts';

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
  /** Read with the session on every request, so a changed role applies at once. Absent: learnt at validation. */
  role?: Role;
}

export type SessionValidation = { session: Session; user: SessionUser; renewed: boolean } | { session: null; user: null; renewed: false };

export function generateSessionToken(): string {
  return randomToken(20);
}

/** Stores a new session for `user`; `user` may be just the id (the email is then learnt at the first validation). */
export async function createSession(db: Db, token: string, user: SessionUser | string, now: number): Promise<Session> {
  const userId = typeof user === 'string' ? user : user.id;
  const session: Session = { id: hashToken(token), userId, expiresAt: now + SESSION_LIFETIME_MS };
  await db
    .insertInto('user_session')
    .values({ id: session.id, user_id: userId, expires_at: new Date(session.expiresAt).toISOString(), created_at: new Date(now).toISOString() })
    .execute();
  if (typeof user !== 'string') remember(session, user);
  return session;
}

/** Looks the token up; deletes it when expired; extends it when used in its last 15 days. */
export async function validateSessionToken(db: Db, token: string, now: number): Promise<SessionValidation> {
  const id = hashToken(token);
  const row = await db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
    .select(['user_session.id', 'user_session.user_id', 'user_session.expires_at', 'app_user.email', 'app_user.role'])
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
    try {
      await db.updateTable('user_session').set({ expires_at: new Date(now + SESSION_LIFETIME_MS).toISOString() }).where('id', '=', id).execute();
      session.expiresAt = now + SESSION_LIFETIME_MS;
      renewed = true;
    } catch (e) {
      // A database that reads but cannot write (full or read-only disk): renew on a later request.
      if (!(e instanceof DatabaseUnavailableError)) throw e;
    }
  }
  const user = { id: row.user_id, email: row.email, role: storedRole(row.role) };
  remember(session, user);
  return { session, user, renewed };
}

/**
 * Sessions this process validated lately, used only while the database cannot be read (decision record 006):
 * the on-call engineer who was signed in keeps the admin pages and their outage banner. Expiry still applies;
 * signing out here forgets the session at once.
 */
const recent = new Map<string, { session: Session; user: SessionUser }>();
const RECENT_MAX = 1000;

function remember(session: Session, user: SessionUser): void {
  recent.delete(session.id);
  recent.set(session.id, { session: { ...session }, user });
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
}

/** Like validateSessionToken, but answers from the sessions seen lately while the database is unavailable. */
export async function validateSessionTokenResilient(db: Db, token: string, now: number): Promise<SessionValidation & { fromMemory: boolean }> {
  try {
    return { ...(await validateSessionToken(db, token, now)), fromMemory: false };
  } catch (e) {
    if (!(e instanceof DatabaseUnavailableError)) throw e;
    const known = recent.get(hashToken(token));
    if (!known || now >= known.session.expiresAt) return { session: null, user: null, renewed: false, fromMemory: true };
    return { session: known.session, user: known.user, renewed: false, fromMemory: true };
  }
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  recent.delete(sessionId);
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

/** Ends every session of the user ("sign out everywhere", password reset, removal). */
export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
  for (const [id, v] of recent) if (v.user.id === userId) recent.delete(id);
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}

/** Forgets the remembered sessions of a user whose role changed, so an outage cannot serve the old role. */
export function forgetRememberedUser(userId: string): void {
  for (const [id, v] of recent) if (v.user.id === userId) recent.delete(id);
}

export function setSessionCookie(cookies: AstroCookies, token: string, expiresAt: number, secure: boolean): void {
  cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(expiresAt) });
}

export function deleteSessionCookie(cookies: AstroCookies, secure: boolean): void {
  cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 });
}
