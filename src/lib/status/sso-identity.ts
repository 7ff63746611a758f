// Single sign-on rules, free of I/O: the settings' syntax (allowed domains, claim-to-role map) and who the
// provider's claims let in, with which role (decision record 019).
import { isRole, roleAtLeast, type Role } from './roles.ts';

export interface RoleMap {
  /** Claim value → role, in the order written. */
  entries: readonly { value: string; role: Role }[];
  /** The role of `*`: anyone whose claim matches nothing else; null refuses them. */
  fallback: Role | null;
}

export interface SsoRules {
  allowedDomains: readonly string[];
  /** The claim holding the groups or roles, a dotted path for nested ones (realm_access.roles). */
  roleClaim: string;
  roleMap: RoleMap;
}

export type IdentityCheck =
  | { ok: true; email: string; role: Role; subject: string }
  | { ok: false; reason: 'no-email' | 'unverified' | 'domain' | 'unmapped' };

const domainPattern = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** `acme.com, example.org` → the domains, lower-case; a message when one is not a domain. */
export function parseAllowedDomains(text: string): string[] | string {
  const domains = text.split(',').map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter((d) => d !== '');
  if (domains.length === 0) return 'must list at least one email domain, e.g. acme.com';
  const bad = domains.find((d) => !domainPattern.test(d));
  if (bad !== undefined) return `"${bad}" is not a domain; write domains like acme.com, separated by commas`;
  return [...new Set(domains)];
}

/** `status-admins=admin, oncall=responder, *=viewer` → the map; a message naming the first bad entry. */
export function parseRoleMap(text: string): RoleMap | string {
  const entries: { value: string; role: Role }[] = [];
  let fallback: Role | null = null;
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return 'must map at least one claim value to a role, e.g. status-admins=admin,*=viewer';
  for (const part of parts) {
    const eq = part.lastIndexOf('=');
    const value = eq > 0 ? part.slice(0, eq).trim() : '';
    const role = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (value === '' || role === '') return `"${part}" must be value=role, e.g. status-admins=admin`;
    if (!isRole(role)) return `"${part}": the role must be viewer, responder or admin`;
    if (value === '*') {
      if (fallback !== null) return '"*" is mapped twice';
      fallback = role;
    } else {
      if (entries.some((e) => e.value === value)) return `"${value}" is mapped twice`;
      entries.push({ value, role });
    }
  }
  return { entries, fallback };
}

/** The claim at a dotted path (`realm_access.roles`), or a top-level claim whose name has dots in it. */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let at: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The highest role any of the claim's values maps to; else the `*` role; else null (refused). */
export function mappedRole(claim: unknown, map: RoleMap): Role | null {
  const values = (Array.isArray(claim) ? claim : [claim]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
  let best: Role | null = null;
  for (const e of map.entries) if (values.includes(e.value) && (best === null || roleAtLeast(e.role, best))) best = e.role;
  return best ?? map.fallback;
}

/**
 * Whether the provider's claims let the person in: an email the provider says is verified (a boolean true, or
 * the string "true" some providers send), its domain one of the allowed ones exactly (no subdomains), and a
 * role from the map.
 */
export function checkIdentity(claims: Record<string, unknown>, rules: SsoRules): IdentityCheck {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return { ok: false, reason: 'no-email' };
  if (claims.email_verified !== true && claims.email_verified !== 'true') return { ok: false, reason: 'unverified' };
  if (!rules.allowedDomains.includes(email.slice(at + 1))) return { ok: false, reason: 'domain' };
  const role = mappedRole(claimAt(claims, rules.roleClaim), rules.roleMap);
  if (role === null) return { ok: false, reason: 'unmapped' };
  return { ok: true, email, role, subject: String(claims.sub ?? '') };
}
