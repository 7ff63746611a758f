// "Forget this browser" (decision record 020): the reader pass ends now and its cookie goes; back to the private page.
import type { APIRoute } from 'astro';
import { isSecureRequest } from '../../lib/server/auth/request.ts';
import { database } from '../../lib/server/status-data/runtime.ts';
import { deleteReaderCookie, endReaderPass } from '../../lib/server/private-site/reader-pass.ts';
import { READER_COOKIE } from '../../lib/status/private-site.ts';
import { hrefIn } from '../../lib/i18n/locales.ts';

export const POST: APIRoute = async ({ cookies, url, locals }) => {
  const token = cookies.get(READER_COOKIE)?.value;
  if (token) await endReaderPass(await database(), token, Date.now());
  deleteReaderCookie(cookies, isSecureRequest(url));
  return new Response(null, { status: 303, headers: { Location: hrefIn(locals, '/private'), 'Cache-Control': 'private, no-store' } });
};
