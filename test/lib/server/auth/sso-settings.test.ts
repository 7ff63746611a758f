// Single sign-on settings: a bad one stops start-up naming the variable; without them, nothing changes.
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../../src/lib/server/env.ts';
import { passwordSignIn, ssoConfig } from '../../../../src/lib/server/auth/sso-settings.ts';

const good = {
  OIDC_ISSUER: 'https://id.acme.com/realms/staff',
  OIDC_CLIENT_ID: 'status',
  OIDC_CLIENT_SECRET: 'a-long-client-secret',
  OIDC_ALLOWED_DOMAINS: 'acme.com',
  OIDC_ROLE_MAP: 'status-admins=admin,*=viewer',
};

function problem(source: Record<string, string>, variable: string): string {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    const line = (e as Error).message.split('\n').find((l) => l.trim().startsWith(`${variable}:`));
    expect(line, (e as Error).message).toBeDefined();
    return line!;
  }
  throw new Error('accepted');
}

describe('single sign-on settings', () => {
  it('are off by default, with password sign-in on', () => {
    expect(ssoConfig(parseEnv({}))).toBeNull();
    expect(passwordSignIn(parseEnv({}))).toBe(true);
  });

  it('give the provider, the rules and the defaults', () => {
    const sso = ssoConfig(parseEnv(good))!;
    expect(sso.issuer.href).toBe('https://id.acme.com/realms/staff');
    expect(sso).toMatchObject({ clientId: 'status', clientSecret: 'a-long-client-secret', allowedDomains: ['acme.com'], roleClaim: 'groups', scopes: 'openid email profile', buttonLabel: 'SSO' });
    expect(sso.roleMap).toEqual({ entries: [{ value: 'status-admins', role: 'admin' }], fallback: 'viewer' });
    expect(passwordSignIn(parseEnv({ ...good, PASSWORD_SIGN_IN: 'off' }))).toBe(false);
  });

  it('accept plain http only for a provider on this machine', () => {
    expect(ssoConfig(parseEnv({ ...good, OIDC_ISSUER: 'http://127.0.0.1:9000' }))).not.toBeNull();
    expect(ssoConfig(parseEnv({ ...good, OIDC_ISSUER: 'http://localhost:9000/realm' }))).not.toBeNull();
    expect(problem({ ...good, OIDC_ISSUER: 'http://id.acme.com' }, 'OIDC_ISSUER')).toMatch(/must be https \(plain http only for a provider on 127\.0\.0\.1 or localhost/);
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['an issuer that is not http(s)', { ...good, OIDC_ISSUER: 'ftp://id.acme.com' }, 'OIDC_ISSUER', /issuer URL/],
    ['an issuer that is not a URL', { ...good, OIDC_ISSUER: 'id.acme.com' }, 'OIDC_ISSUER', /issuer URL/],
    ['a role map without roles', { ...good, OIDC_ROLE_MAP: 'status-admins' }, 'OIDC_ROLE_MAP', /"status-admins" must be value=role/],
    ['a role map with an unknown role', { ...good, OIDC_ROLE_MAP: 'x=root' }, 'OIDC_ROLE_MAP', /the role must be viewer, responder or admin/],
    ['a domain list with a wildcard', { ...good, OIDC_ALLOWED_DOMAINS: '*' }, 'OIDC_ALLOWED_DOMAINS', /"\*" is not a domain/],
    ['no allowed domains', { ...good, OIDC_ALLOWED_DOMAINS: '' }, 'OIDC_ALLOWED_DOMAINS', /is required when OIDC_ISSUER is set/],
    ['no role map', { ...good, OIDC_ROLE_MAP: '' }, 'OIDC_ROLE_MAP', /is required when OIDC_ISSUER is set/],
    ['no client id', { ...good, OIDC_CLIENT_ID: '' }, 'OIDC_CLIENT_ID', /is required when OIDC_ISSUER is set/],
    ['scopes without openid', { ...good, OIDC_SCOPES: 'email profile' }, 'OIDC_SCOPES', /must include openid/],
    ['a role claim with spaces', { ...good, OIDC_ROLE_CLAIM: 'my groups' }, 'OIDC_ROLE_CLAIM', /claim name/],
    ['PASSWORD_SIGN_IN that is not on or off', { PASSWORD_SIGN_IN: 'no' }, 'PASSWORD_SIGN_IN', /must be on .* or off/],
    ['password sign-in off without single sign-on', { PASSWORD_SIGN_IN: 'off' }, 'PASSWORD_SIGN_IN', /only with single sign-on set up/],
    ['client settings without an issuer', { OIDC_CLIENT_ID: 'status' }, 'OIDC_CLIENT_ID', /needs OIDC_ISSUER/],
  ])('refuse %s, naming the variable', (_name, source, variable, reason) => {
    expect(problem(source, variable)).toMatch(reason);
  });

  it('never print the client secret', () => {
    try {
      parseEnv({ ...good, OIDC_CLIENT_SECRET: 'hunter2-very-secret', OIDC_ISSUER: 'nope' });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      expect((e as Error).message).toContain('OIDC_ISSUER');
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
