// The single sign-on rules: the settings' syntax, and who the provider's claims let in with which role.
import { describe, expect, it } from 'vitest';
import { checkIdentity, mappedRole, parseAllowedDomains, parseRoleMap, type RoleMap } from '../../../src/lib/status/sso-identity.ts';

const map = parseRoleMap('status-admins=admin, status-oncall=responder, staff=viewer') as RoleMap;
const rules = { allowedDomains: ['acme.com', 'acme.co.uk'], roleClaim: 'groups', roleMap: map };
const person = { sub: 'u-1', email: 'Jane@Acme.com', email_verified: true, groups: ['staff'] };

describe('parseRoleMap', () => {
  it('reads value=role pairs and the * fallback', () => {
    expect(parseRoleMap('a=admin,*=viewer')).toEqual({ entries: [{ value: 'a', role: 'admin' }], fallback: 'viewer' });
    // A value may hold '=' itself (an LDAP-style group): the role is after the last one.
    expect(parseRoleMap('cn=ops=responder')).toEqual({ entries: [{ value: 'cn=ops', role: 'responder' }], fallback: null });
  });

  it.each([
    ['', /at least one/],
    ['admins', /must be value=role/],
    ['=admin', /must be value=role/],
    ['admins=', /must be value=role/],
    ['admins=owner', /role must be viewer, responder or admin/],
    ['a=admin,a=viewer', /"a" is mapped twice/],
    ['*=admin,*=viewer', /"\*" is mapped twice/],
  ])('refuses %j, saying why', (text, reason) => {
    expect(parseRoleMap(text)).toMatch(reason);
  });
});

describe('parseAllowedDomains', () => {
  it('lower-cases, drops a leading @ and duplicates', () => {
    expect(parseAllowedDomains(' Acme.com, @acme.co.uk ,acme.com')).toEqual(['acme.com', 'acme.co.uk']);
  });
  it.each([['', /at least one/], ['acme', /"acme" is not a domain/], ['*.acme.com', /not a domain/], ['acme.com;evil.com', /not a domain/]])('refuses %j', (text, reason) => {
    expect(parseAllowedDomains(text)).toMatch(reason);
  });
});

describe('mappedRole', () => {
  it('takes the highest role any value maps to, whatever the order', () => {
    expect(mappedRole(['staff', 'status-admins', 'status-oncall'], map)).toBe('admin');
    expect(mappedRole(['status-oncall', 'staff'], map)).toBe('responder');
    expect(mappedRole('staff', map)).toBe('viewer');
  });
  it('falls back to * and otherwise refuses', () => {
    expect(mappedRole(['marketing'], map)).toBeNull();
    expect(mappedRole(undefined, map)).toBeNull();
    expect(mappedRole(['marketing'], parseRoleMap('a=admin,*=viewer') as RoleMap)).toBe('viewer');
    // A mapped value beats the fallback even when the fallback is higher.
    expect(mappedRole(['a'], parseRoleMap('a=viewer,*=responder') as RoleMap)).toBe('viewer');
  });
  it('ignores values that are not strings or numbers', () => {
    expect(mappedRole([{ name: 'status-admins' }, null], map)).toBeNull();
  });
});

describe('checkIdentity', () => {
  it('lets in a verified address of an allowed domain with its mapped role, lower-cased', () => {
    expect(checkIdentity(person, rules)).toEqual({ ok: true, email: 'jane@acme.com', role: 'viewer', subject: 'u-1' });
    expect(checkIdentity({ ...person, email_verified: 'true' }, rules).ok).toBe(true);
  });
  it.each<[string, Record<string, unknown>, string]>([
    ['no email', { ...person, email: undefined }, 'no-email'],
    ['an email without a domain', { ...person, email: 'jane@' }, 'no-email'],
    ['email_verified false', { ...person, email_verified: false }, 'unverified'],
    ['email_verified missing', { ...person, email_verified: undefined }, 'unverified'],
    ['another domain', { ...person, email: 'jane@evil.com' }, 'domain'],
    ['a subdomain of an allowed one', { ...person, email: 'jane@eu.acme.com' }, 'domain'],
    ['an allowed domain as a suffix only', { ...person, email: 'jane@notacme.com' }, 'domain'],
    ['an allowed domain before another @', { ...person, email: 'jane@acme.com@evil.com' }, 'domain'],
    ['no mapped group', { ...person, groups: ['marketing'] }, 'unmapped'],
  ])('refuses %s', (_name, claims, reason) => {
    expect(checkIdentity(claims, rules)).toEqual({ ok: false, reason });
  });
  it('reads a nested claim by its dotted path (Keycloak realm_access.roles)', () => {
    const keycloak = { ...rules, roleClaim: 'realm_access.roles' };
    expect(checkIdentity({ ...person, groups: undefined, realm_access: { roles: ['status-admins'] } }, keycloak)).toMatchObject({ ok: true, role: 'admin' });
    expect(checkIdentity({ ...person, 'realm_access.roles': ['status-oncall'] }, keycloak)).toMatchObject({ ok: true, role: 'responder' });
  });
});
