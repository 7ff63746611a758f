// Talking to the OpenID Connect provider through openid-client: discovery (lazy, cached once it worked), the
// authorization URL with PKCE, state and nonce, and the code exchange that checks them all.
import * as oidc from 'openid-client';
import { isLoopbackHttp, type SsoConfig } from './sso-settings.ts';
import type { SsoFlow } from './sso-flow.ts';

/** Seconds for any one request to the provider; a provider that is down must not hold the sign-in page long. */
const PROVIDER_TIMEOUT_S = 10;

export type ProviderResult<T> = { ok: true; value: T } | { ok: false; reason: 'unavailable' | 'provider-error' | 'rejected'; detail: string };

let cached: { key: string; config: oidc.Configuration } | null = null;
let lastProblem: string | null = null;

/** Why the provider could not be used at the last attempt (shown on the sign-in page), null once it works. */
export function lastProviderProblem(): string | null {
  return lastProblem;
}

/** The errors down the `cause` chain, outermost first. */
function chain(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let at: unknown = e; at !== undefined && out.length < 5; at = at instanceof Error ? at.cause : undefined) out.push(at);
  return out;
}

const networkCode = (e: unknown): string | null => {
  const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : null;
  return code && /^(E[A-Z]+|UND_ERR\w*)$/.test(code) ? code : null;
};

function describe(e: unknown): string {
  const code = chain(e).map(networkCode).find((c) => c !== null);
  const message = e instanceof Error ? e.message : String(e);
  return code ? `${message} (${code})` : message;
}

/** Network failures, timeouts and 5xx answers: the provider is unavailable rather than saying no. */
function isUnavailable(e: unknown): boolean {
  return chain(e).some((c) =>
    (c instanceof oidc.ResponseBodyError && c.status >= 500)
    || (c instanceof Error && (c.name === 'TimeoutError' || c.name === 'AbortError' || (c instanceof TypeError && c.message === 'fetch failed')))
    || networkCode(c) !== null);
}

/** The provider's configuration, discovered at first use and kept; a failed discovery is tried again next time. */
async function providerConfig(sso: SsoConfig): Promise<ProviderResult<oidc.Configuration>> {
  const key = `${sso.issuer.href} ${sso.clientId}`;
  if (cached?.key === key) return { ok: true, value: cached.config };
  try {
    const auth = sso.clientSecret === null ? oidc.None() : oidc.ClientSecretPost(sso.clientSecret);
    // Plain http only for a provider on this machine (a test's); every other issuer is https (env.ts refuses http).
    const execute = isLoopbackHttp(sso.issuer) ? [oidc.allowInsecureRequests] : [];
    const config = await oidc.discovery(sso.issuer, sso.clientId, undefined, auth, { execute, timeout: PROVIDER_TIMEOUT_S });
    cached = { key, config };
    lastProblem = null;
    return { ok: true, value: config };
  } catch (e) {
    lastProblem = `${sso.issuer.host} could not be reached or answered wrongly: ${describe(e)}`;
    return { ok: false, reason: 'unavailable', detail: lastProblem };
  }
}

/** Where to send the browser: the provider's authorization endpoint with this flow's state, nonce and PKCE challenge. */
export async function authorizationUrl(sso: SsoConfig, redirectUri: string, flow: SsoFlow): Promise<ProviderResult<URL>> {
  const config = await providerConfig(sso);
  if (!config.ok) return config;
  const url = oidc.buildAuthorizationUrl(config.value, {
    redirect_uri: redirectUri,
    scope: sso.scopes,
    response_type: 'code',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: 'S256',
  });
  return { ok: true, value: url };
}

/**
 * Exchanges the code in the callback URL, checking state, nonce, PKCE and the ID token, and returns the person's
 * claims: the ID token's, completed from the userinfo endpoint when it lacks the email or the role claim.
 */
export async function exchangeCode(sso: SsoConfig, callbackUrl: URL, flow: SsoFlow): Promise<ProviderResult<Record<string, unknown>>> {
  const config = await providerConfig(sso);
  if (!config.ok) return config;
  try {
    const tokens = await oidc.authorizationCodeGrant(config.value, callbackUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return { ok: false, reason: 'rejected', detail: 'the provider sent no ID token' };
    let claims: Record<string, unknown> = { ...idClaims };
    const topClaim = sso.roleClaim.split('.')[0]!;
    const incomplete = claims.email === undefined || claims.email_verified === undefined || claims[topClaim] === undefined;
    if (incomplete && config.value.serverMetadata().userinfo_endpoint) {
      // fetchUserInfo checks the answer is about the ID token's subject; the ID token's own claims win.
      const info = await oidc.fetchUserInfo(config.value, tokens.access_token, idClaims.sub);
      claims = { ...info, ...idClaims };
    }
    lastProblem = null;
    return { ok: true, value: claims };
  } catch (e) {
    if (e instanceof oidc.AuthorizationResponseError) return { ok: false, reason: 'provider-error', detail: e.error };
    if (isUnavailable(e)) {
      lastProblem = `${sso.issuer.host} did not answer: ${describe(e)}`;
      return { ok: false, reason: 'unavailable', detail: lastProblem };
    }
    return { ok: false, reason: 'rejected', detail: describe(e) };
  }
}
