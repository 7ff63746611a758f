// A real OpenID Connect provider (the oidc-provider package) on 127.0.0.1, with one static client and accounts
// whose claims the test sets. Its development login form accepts any password for a known login.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { freePort } from './server.ts';

export interface TestAccount {
  email: string;
  email_verified: boolean;
  groups: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Logins (as typed into the provider's form) and their claims; change them between sign-ins. */
  accounts: Map<string, TestAccount>;
  stop: () => Promise<void>;
}

/** Starts a provider whose client may redirect to each of `redirectUris`. */
export async function startProvider(redirectUris: string[]): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'kaizen-status';
  const clientSecret = 'a-test-client-secret-that-is-long-enough';
  const accounts = new Map<string, TestAccount>();
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
    scopes: ['openid', 'email', 'groups'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['kaizen-test-provider-cookie-key'] },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
  });
  // The provider logs nothing the tests need.
  provider.on('server_error', () => {});
  const server = http.createServer(provider.callback());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  if ((server.address() as AddressInfo).port !== port) throw new Error('provider port moved');
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Settings that point the status page at the provider. */
export function ssoEnv(p: TestProvider, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OIDC_ISSUER: p.issuer,
    OIDC_CLIENT_ID: p.clientId,
    OIDC_CLIENT_SECRET: p.clientSecret,
    OIDC_ALLOWED_DOMAINS: 'acme.test',
    OIDC_ROLE_CLAIM: 'groups',
    OIDC_ROLE_MAP: 'status-admins=admin,status-oncall=responder,staff=viewer',
    OIDC_SCOPES: 'openid email groups',
    OIDC_BUTTON_LABEL: 'Acme ID',
    ...extra,
  };
}
