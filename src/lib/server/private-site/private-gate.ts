// What the middleware does for a private site: who the reader is (a pass cookie), and the answer to a request
// without a session or pass (a 401: the private page for HTML, a short JSON or text answer for machines).
import type { AstroCookies } from 'astro';
import { DatabaseUnavailableError } from '../db/db-errors.ts';
import { database } from '../status-data/runtime.ts';
import type { Site } from '../../status/types.ts';
import { READER_COOKIE } from '../../status/private-site.ts';
import { deleteReaderCookie, validateReaderPass } from './reader-pass.ts';

/** The reader of a valid pass cookie, else null (an unknown or ended pass's cookie is removed; an outage keeps it). */
export async function readerOf(cookies: AstroCookies, site: Site, secure: boolean): Promise<{ email: string } | null> {
  const token = cookies.get(READER_COOKIE)?.value;
  if (!token) return null;
  try {
    const reader = await validateReaderPass(await database(), token, site.privateAccess?.allowedDomains ?? [], Date.now());
    if (!reader) deleteReaderCookie(cookies, secure);
    return reader;
  } catch (e) {
    // Fail closed: while the database cannot say, the pass does not open the page (the cookie stays for later).
    if (e instanceof DatabaseUnavailableError) return null;
    throw e;
  }
}

/** The 401 for an API, feed, badge or calendar path: JSON where JSON is expected, plain text elsewhere. */
export function privateMachineResponse(path: string): Response {
  const message = 'This status page is private: sign in, or open the link emailed to you, in a browser.';
  const json = path.startsWith('/api/') || path.endsWith('.json');
  return new Response(json ? JSON.stringify({ error: 'private', message }) : `${message}\n`, {
    status: 401,
    headers: { 'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' },
  });
}

/** The private page's answer to a gated page, as a 401 (its body and headers kept). */
export function asUnauthorized(response: Response): Response {
  return new Response(response.body, { status: 401, headers: response.headers });
}
