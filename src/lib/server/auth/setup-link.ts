// The first admin's way in: while no user exists, start-up prints a fresh one-time setup link.
import type { Db } from '../db/connection.ts';
import { createOneTimeToken, revokeOneTimeTokens } from './one-time-link.ts';
import { countUsers } from './users.ts';

/** A new setup URL (older ones withdrawn), or null when an account already exists. */
export async function issueSetupLink(db: Db, baseUrl: string, now: number): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null;
  await revokeOneTimeTokens(db, 'setup', null, now);
  const token = await createOneTimeToken(db, 'setup', null, now);
  return new URL(`/admin/setup?token=${token}`, baseUrl).href;
}

/** A password link for an existing user (sign-up through the CLI, an invitation, or a reset). */
export async function issueResetLink(db: Db, email: string, baseUrl: string, now: number, lifetimeMs?: number): Promise<string> {
  await revokeOneTimeTokens(db, 'reset', email, now);
  const token = await createOneTimeToken(db, 'reset', email, now, lifetimeMs);
  return new URL(`/admin/reset?token=${token}`, baseUrl).href;
}

/**
 * Where printed links point: SITE_URL when set, else this machine at HOST and PORT (a wildcard HOST such as 0.0.0.0
 * or :: is not an address to browse, so localhost; an IPv6 address in brackets).
 */
export function linkBaseUrl(siteUrl: string | undefined, host: string, port: number): string {
  if (siteUrl) return siteUrl;
  const h = host === '0.0.0.0' || host === '::' || host === '[::]' ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
