// Reader passes: the browser that opened an emailed link reads a private site for 30 days. Only the hash of the
// cookie's token is stored; a pass whose address left the allowed domains stops working.
import type { AstroCookies } from 'astro';
import type { Db } from '../db/connection.ts';
import { hashToken, randomToken } from '../ids.ts';
import { mayReceiveLink, READER_COOKIE, READER_PASS_LIFETIME_MS } from '../../status/private-site.ts';

const iso = (t: number): string => new Date(t).toISOString();

/** Creates a pass for the address from the link whose token hash is `linkHash`; null when that link already made one. */
export async function createReaderPass(db: Db, email: string, linkHash: string, now: number): Promise<{ token: string; expiresAt: number } | null> {
  const token = randomToken(32);
  const expiresAt = now + READER_PASS_LIFETIME_MS;
  // Passes long expired go (a link is long expired by then too, so its unique hash is not needed any more).
  await db.deleteFrom('reader_pass').where('expires_at', '<', iso(now - READER_PASS_LIFETIME_MS)).execute();
  const r = await db
    .insertInto('reader_pass')
    .values({ id: hashToken(token), email, link_hash: linkHash, expires_at: iso(expiresAt), created_at: iso(now) })
    .onConflict((oc) => oc.column('link_hash').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1 ? { token, expiresAt } : null;
}

/** The pass's address when the token is a live pass and the address is still allowed, else null. */
export async function validateReaderPass(db: Db, token: string, allowedDomains: readonly string[], now: number): Promise<{ email: string } | null> {
  const row = await db.selectFrom('reader_pass').select('email').where('id', '=', hashToken(token)).where('expires_at', '>', iso(now)).executeTakeFirst();
  return row && mayReceiveLink(row.email, allowedDomains) ? { email: row.email } : null;
}

/** "Forget this browser": the pass ends now (its row stays until it would have expired, so its link stays used). */
export async function endReaderPass(db: Db, token: string, now: number): Promise<void> {
  await db.updateTable('reader_pass').set({ expires_at: iso(now) }).where('id', '=', hashToken(token)).execute();
}

export function setReaderCookie(cookies: AstroCookies, token: string, expiresAt: number, secure: boolean): void {
  cookies.set(READER_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(expiresAt) });
}

export function deleteReaderCookie(cookies: AstroCookies, secure: boolean): void {
  cookies.set(READER_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 });
}
