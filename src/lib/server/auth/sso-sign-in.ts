// Signing in through the OpenID Connect provider (decision record 019): start a flow, then on the way back check
// it, find or create the account with the mapped role, and open the normal session.
import * as oidc from 'openid-client';
import type { Db } from '../db/connection.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { RefusedError } from '../errors.ts';
import { checkIdentity } from '../../status/sso-identity.ts';
import { roleLabels, type Role } from '../../status/roles.ts';
import { createSession, generateSessionToken, type Session } from './session.ts';
import { consumeSsoFlow, createSsoFlow } from './sso-flow.ts';
import { authorizationUrl, exchangeCode } from './sso-provider.ts';
import type { SsoConfig } from './sso-settings.ts';
import { changeRole } from './user-admin.ts';
import { findUserByEmail, insertUser } from './users.ts';

export const SSO_CALLBACK_PATH = '/admin/login/sso/callback';

/** Why a single sign-on did not sign anyone in; each has its message on the sign-in page. */
export const ssoFailures = ['unavailable', 'expired', 'state', 'denied', 'provider-error', 'rejected', 'no-email', 'unverified', 'domain', 'unmapped'] as const;
export type SsoFailure = (typeof ssoFailures)[number];

export type SsoStart = { ok: true; url: URL; flowToken: string } | { ok: false; reason: 'unavailable' };

/** A new flow for this browser and the provider's URL to send it to. */
export async function startSsoSignIn(db: Db, sso: SsoConfig, redirectUri: string, next: string, now: number): Promise<SsoStart> {
  const { token, flow } = await createSsoFlow(db, { state: oidc.randomState(), nonce: oidc.randomNonce() }, next, now);
  const url = await authorizationUrl(sso, redirectUri, flow);
  if (!url.ok) return { ok: false, reason: 'unavailable' };
  return { ok: true, url: url.value, flowToken: token };
}

export type SsoFinish = { ok: true; token: string; session: Session; next: string; email: string } | { ok: false; reason: SsoFailure };

const failureAudit: Record<SsoFailure, string> = {
  unavailable: 'the provider did not answer',
  expired: 'no flow for this browser (expired, used, or started elsewhere)',
  state: 'the state did not match this browser\'s flow',
  denied: 'the provider answered access_denied',
  'provider-error': 'the provider answered with an error',
  rejected: 'the provider\'s answer failed the checks',
  'no-email': 'no email in the provider\'s claims',
  unverified: 'the provider does not say the email is verified',
  domain: 'the email\'s domain is not allowed',
  unmapped: 'no role maps from the claims',
};

async function refuse(db: Db, reason: SsoFailure, actor: string, ip: string, now: number, detail = ''): Promise<SsoFinish> {
  await recordAudit(db, { actor, action: 'sign_in_failed', detail: `single sign-on from ${ip}: ${failureAudit[reason]}${detail ? ` (${detail})` : ''}` }, now);
  return { ok: false, reason };
}

/**
 * The provider sent the browser back to `callbackUrl`. The browser's flow is used up whatever happens; state,
 * nonce and PKCE are checked (openid-client), then the claims (verified email, allowed domain, a mapped role).
 * Nothing is created unless every check passed.
 */
export async function finishSsoSignIn(db: Db, sso: SsoConfig, flowToken: string, callbackUrl: URL, ip: string, now: number): Promise<SsoFinish> {
  const flow = flowToken ? await consumeSsoFlow(db, flowToken, now) : null;
  if (!flow) return refuse(db, 'expired', '(single sign-on)', ip, now);
  const params = callbackUrl.searchParams;
  if (params.get('state') !== flow.state) return refuse(db, 'state', '(single sign-on)', ip, now);
  const error = params.get('error');
  if (error) return refuse(db, error === 'access_denied' ? 'denied' : 'provider-error', '(single sign-on)', ip, now, error.slice(0, 60));
  const claims = await exchangeCode(sso, callbackUrl, flow);
  if (!claims.ok) return refuse(db, claims.reason === 'provider-error' ? 'provider-error' : claims.reason, '(single sign-on)', ip, now, claims.detail.slice(0, 200));
  const identity = checkIdentity(claims.value, sso);
  const who = typeof claims.value.email === 'string' ? claims.value.email.slice(0, 254) : '(single sign-on)';
  if (!identity.ok) return refuse(db, identity.reason, who, ip, now);

  // A map of only `*` says nothing about roles: new accounts get it, and roles are then managed in Users.
  const followMapping = sso.roleMap.entries.length > 0;
  const user = await accountFor(db, identity.email, identity.role, identity.subject, followMapping, now);
  const token = generateSessionToken();
  const session = await createSession(db, token, { id: user.id, email: identity.email }, now);
  const kept = followMapping && user.role !== identity.role ? `; kept ${roleLabels[user.role]}: the last admin cannot be demoted` : '';
  await recordAudit(db, { actor: identity.email, action: 'sign_in', detail: `from ${ip}, via single sign-on (${sso.issuer.host})${kept}` }, now);
  return { ok: true, token, session, next: flow.next, email: identity.email };
}

/**
 * The account of a person the provider vouched for: created with the mapped role the first time; afterwards its
 * role follows the mapping (audited) when `followMapping`, except that the last admin stays admin.
 */
async function accountFor(db: Db, email: string, role: Role, subject: string, followMapping: boolean, now: number): Promise<{ id: string; role: Role }> {
  const existing = await findUserByEmail(db, email);
  if (!existing) {
    const id = await insertUser(db, email, null, now, role);
    await db.updateTable('app_user').set({ sso_subject: subject }).where('id', '=', id).execute();
    await recordAudit(db, { actor: email, action: 'user_created', target: email, detail: `first single sign-on, role ${role}` }, now);
    return { id, role };
  }
  await db.updateTable('app_user').set({ sso_subject: subject }).where('id', '=', existing.id).execute();
  if (existing.role === role || !followMapping) return { id: existing.id, role: existing.role };
  try {
    await changeRole(db, email, role, 'single sign-on', now);
    return { id: existing.id, role };
  } catch (e) {
    if (e instanceof RefusedError) return { id: existing.id, role: existing.role };
    throw e;
  }
}
