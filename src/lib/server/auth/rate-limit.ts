// Sign-in throttling, kept in the database so every instance sees the same counts.
import type { Db } from '../db/connection.ts';
import { newId } from '../ids.ts';

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

export type Throttle = { throttled: false } | { throttled: true; retryAfterSeconds: number };

/** More than 5 failures for the account, or 20 from the address, in 15 minutes → throttled until the oldest ages out. */
export async function checkSignInThrottle(db: Db, email: string, ip: string, now: number): Promise<Throttle> {
  const since = new Date(now - THROTTLE_WINDOW_MS).toISOString();
  const [byEmail, byIp] = await Promise.all([
    db.selectFrom('sign_in_attempt').select('at').where('email', '=', email).where('at', '>', since).orderBy('at', 'asc').execute(),
    db.selectFrom('sign_in_attempt').select('at').where('ip', '=', ip).where('at', '>', since).orderBy('at', 'asc').execute(),
  ]);
  const until = (rows: { at: string }[], limit: number): number | null =>
    rows.length >= limit ? Date.parse(rows[rows.length - limit]!.at) + THROTTLE_WINDOW_MS : null;
  const a = until(byEmail, MAX_FAILURES_PER_ACCOUNT);
  const b = until(byIp, MAX_FAILURES_PER_IP);
  const end = Math.max(a ?? 0, b ?? 0);
  if (end <= now) return { throttled: false };
  return { throttled: true, retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)) };
}

export async function recordSignInFailure(db: Db, email: string, ip: string, now: number): Promise<void> {
  await db.insertInto('sign_in_attempt').values({ id: newId(), email, ip, at: new Date(now).toISOString() }).execute();
  // Old rows are worthless; prune a little on every failure.
  await db.deleteFrom('sign_in_attempt').where('at', '<', new Date(now - 2 * THROTTLE_WINDOW_MS).toISOString()).execute();
}

/** A successful sign-in clears the account's failures. */
export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('sign_in_attempt').where('email', '=', email).execute();
}
