// Single sign-on, step one: a flow bound to this browser (cookie), then off to the provider with state, nonce and
// the PKCE challenge. A provider that cannot be reached sends the browser back to the sign-in page, saying so.
import type { APIRoute } from 'astro';
import { isSecureRequest, safeNext } from '../../../../lib/server/auth/request.ts';
import { setSsoFlowCookie } from '../../../../lib/server/auth/sso-flow.ts';
import { ssoConfig } from '../../../../lib/server/auth/sso-settings.ts';
import { SSO_CALLBACK_PATH, startSsoSignIn } from '../../../../lib/server/auth/sso-sign-in.ts';
import { env } from '../../../../lib/server/env.ts';
import { database } from '../../../../lib/server/status-data/runtime.ts';

export const GET: APIRoute = async ({ url, cookies, locals, redirect }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user) return redirect(next, 303);
  const sso = ssoConfig(env());
  if (!sso) return new Response('Single sign-on is not set up on this site.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const redirectUri = new URL(SSO_CALLBACK_PATH, env().SITE_URL ?? url.origin).href;
  const started = await startSsoSignIn(await database(), sso, redirectUri, next, Date.now());
  if (!started.ok) return redirect(`/admin/login?sso=unavailable&next=${encodeURIComponent(next)}`, 303);
  setSsoFlowCookie(cookies, started.flowToken, isSecureRequest(url));
  return redirect(started.url.href, 303);
};
