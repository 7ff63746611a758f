// Signing in with a passkey (the sign-in pages' script). `step=second`: after a correct password, with the pending
// sign-in's cookie; `step=passwordless`: a passkey alone. `action=options` gives the options for
// navigator.credentials.get, `action=verify` checks the answer and starts the session.
import type { APIRoute } from 'astro';
import { passkeyJson, requestParty } from '../../../lib/server/auth/passkey-http.ts';
import { completePasskeySecondStep, passwordlessOptions, secondStepOptions, signInWithPasskey } from '../../../lib/server/auth/passkey-sign-in.ts';
import { isSecureRequest, safeNext } from '../../../lib/server/auth/request.ts';
import { setSessionCookie } from '../../../lib/server/auth/session.ts';
import { deletePendingCookie, PENDING_COOKIE } from '../../../lib/server/auth/totp-pending.ts';
import { passwordSignIn } from '../../../lib/server/auth/sso-settings.ts';
import { env } from '../../../lib/server/env.ts';
import { readForm } from '../../../lib/server/http/read-form.ts';
import { database } from '../../../lib/server/status-data/runtime.ts';

export const POST: APIRoute = async ({ request, locals, url, cookies }) => {
  const form = await readForm(request);
  const second = form.get('step') === 'second';
  const next = safeNext(String(form.get('next') ?? ''));
  const pendingToken = cookies.get(PENDING_COOKIE)?.value ?? '';
  const secure = isSecureRequest(url);
  const expired = { ok: false, error: 'The sign-in took too long or was already finished; enter your password again.', restart: `/admin/login?next=${encodeURIComponent(next)}&expired=1` };
  // PASSWORD_SIGN_IN=off means single sign-on only: a passkey alone is not offered either (as a second step it still is).
  if (!second && !passwordSignIn(env())) return passkeyJson(403, { ok: false, error: 'Sign-in without single sign-on is turned off on this site.' });
  const db = await database();
  const rp = await requestParty(url);
  const now = Date.now();
  if (form.get('action') === 'options') {
    if (!second) return passkeyJson(200, await passwordlessOptions(db, rp, now));
    const options = await secondStepOptions(db, pendingToken, rp, now);
    return options ? passkeyJson(200, options) : passkeyJson(409, expired);
  }
  const answer = String(form.get('response') ?? '');
  const result = second
    ? await completePasskeySecondStep(db, pendingToken, answer, rp, locals.clientAddress, now)
    : await signInWithPasskey(db, answer, rp, locals.clientAddress, now);
  if (result.ok) {
    if (second) deletePendingCookie(cookies, secure);
    setSessionCookie(cookies, result.token, result.session.expiresAt, secure);
    return passkeyJson(200, { ok: true, next });
  }
  if (result.reason === 'expired') {
    deletePendingCookie(cookies, secure);
    return passkeyJson(409, expired);
  }
  if (result.reason === 'throttled') {
    return passkeyJson(429, { ok: false, error: `Too many failed sign-ins. Try again in ${Math.ceil(result.retryAfterSeconds / 60)} minute(s).` }, { 'Retry-After': String(result.retryAfterSeconds) });
  }
  return passkeyJson(401, { ok: false, error: 'That passkey was not accepted. Use a passkey registered for this account on this site.' });
};
