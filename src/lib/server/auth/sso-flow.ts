// A single sign-on flow between leaving for the provider and coming back: a random token in a short-lived cookie
// binds it to the browser; the row (found by the token's hash) holds state, nonce and where to go next. The PKCE
// verifier is derived from the token, so the database never holds it. Used once, within 10 minutes.
import type { AstroCookies } from 'astro';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { Db } from '../db/connection.ts';
import { hashToken, randomToken } from '../ids.ts';

export const SSO_FLOW_MS = 10 * 60_000;
export const SSO_FLOW_COOKIE = 'kaizen_sso_flow';
const COOKIE_PATH = '/admin/login/sso';

export interface SsoFlow {
  state: string;
  nonce: string;
  next: string;
  /** The PKCE code verifier (RFC 7636: 43 characters of base64url). */
  codeVerifier: string;
}

/** The verifier that belongs to a flow token; the same token always gives the same verifier. */
function verifierFor(token: string): string {
  return encodeBase64urlNoPadding(sha256(new TextEncoder().encode(`pkce:${token}`)));
}

/** Stores a new flow and returns its cookie token and the checks to send to the provider. */
export async function createSsoFlow(db: Db, checks: { state: string; nonce: string }, next: string, now: number): Promise<{ token: string; flow: SsoFlow }> {
  const token = randomToken(32);
  await db.deleteFrom('sso_flow').where('expires_at', '<', new Date(now).toISOString()).execute();
  await db
    .insertInto('sso_flow')
    .values({ id: hashToken(token), state: checks.state, nonce: checks.nonce, next, expires_at: new Date(now + SSO_FLOW_MS).toISOString(), created_at: new Date(now).toISOString() })
    .execute();
  return { token, flow: { ...checks, next, codeVerifier: verifierFor(token) } };
}

/**
 * Takes the flow of this cookie token out of the table (single use, whatever comes next): null when there is none,
 * it expired, or another request took it first.
 */
export async function consumeSsoFlow(db: Db, token: string, now: number): Promise<SsoFlow | null> {
  const id = hashToken(token);
  const row = await db.selectFrom('sso_flow').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const deleted = await db.deleteFrom('sso_flow').where('id', '=', id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1 || now >= Date.parse(row.expires_at)) return null;
  return { state: row.state, nonce: row.nonce, next: row.next, codeVerifier: verifierFor(token) };
}

export function setSsoFlowCookie(cookies: AstroCookies, token: string, secure: boolean): void {
  cookies.set(SSO_FLOW_COOKIE, token, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: SSO_FLOW_MS / 1000 });
}

export function deleteSsoFlowCookie(cookies: AstroCookies, secure: boolean): void {
  cookies.delete(SSO_FLOW_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure });
}
