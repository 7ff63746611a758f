// Single sign-on, step two: the provider sends the browser back here. The flow cookie is used up; on success the
// normal session starts and the browser goes where it was going, otherwise to the sign-in page with the reason.
import type { APIRoute } from 'astro';
import { isSecureRequest } from '../../../../lib/server/auth/request.ts';
import { setSessionCookie } from '../../../../lib/server/auth/session.ts';
import { deleteSsoFlowCookie, SSO_FLOW_COOKIE } from '../../../../lib/server/auth/sso-flow.ts';
import { ssoConfig } from '../../../../lib/server/auth/sso-settings.ts';
import { finishSsoSignIn, SSO_CALLBACK_PATH } from '../../../../lib/server/auth/sso-sign-in.ts';
import { env } from '../../../../lib/server/env.ts';
import { database } from '../../../../lib/server/status-data/runtime.ts';

export const GET: APIRoute = async ({ url, cookies, locals, redirect }) => {
  const sso = ssoConfig(env());
  if (!sso) return new Response('Single sign-on is not set up on this site.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const secure = isSecureRequest(url);
  const flowToken = cookies.get(SSO_FLOW_COOKIE)?.value ?? '';
  deleteSsoFlowCookie(cookies, secure);
  // The URL the provider redirected to, as registered there (SITE_URL behind a proxy), with its answer.
  const callbackUrl = new URL(`${SSO_CALLBACK_PATH}${url.search}`, env().SITE_URL ?? url.origin);
  const result = await finishSsoSignIn(await database(), sso, flowToken, callbackUrl, locals.clientAddress, Date.now());
  if (!result.ok) return redirect(`/admin/login?sso=${result.reason}`, 303);
  setSessionCookie(cookies, result.token, result.session.expiresAt, secure);
  return redirect(result.next, 303);
};
