// Settings of single sign-on (README, "Single sign-on (OpenID Connect)") and of password sign-in. Part of env.ts's schema.
import { z } from 'astro/zod';
import { parseAllowedDomains, parseRoleMap, type RoleMap, type SsoRules } from '../../status/sso-identity.ts';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An http issuer is accepted only on this machine (a provider started for testing); anything else must be https. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && loopbackHosts.has(url.hostname);
}

const parsed = <T>(parse: (text: string) => T | string) =>
  z.string().transform((v, ctx) => {
    const r = parse(v);
    if (typeof r === 'string') {
      ctx.addIssue({ code: 'custom', message: r });
      return z.NEVER;
    }
    return r;
  });

/** Fields merged into the environment schema; single sign-on is on when OIDC_ISSUER is set. */
export const ssoFields = {
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/, error: 'must be the provider\'s issuer URL, such as https://accounts.google.com' })
    .refine((v) => !URL.canParse(v) || new URL(v).protocol !== 'http:' || isLoopbackHttp(new URL(v)), { error: 'must be https (plain http only for a provider on 127.0.0.1 or localhost, for testing)' })
    .optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().trim().min(1).optional(),
  OIDC_ALLOWED_DOMAINS: parsed(parseAllowedDomains).optional(),
  OIDC_ROLE_CLAIM: z.string().trim().regex(/^[\w:/-]+(\.[\w:/-]+)*$/, { error: 'must be a claim name such as groups, or a dotted path such as realm_access.roles' }).optional(),
  OIDC_ROLE_MAP: parsed(parseRoleMap).optional(),
  OIDC_SCOPES: z.string().trim().regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, { error: 'must be scopes separated by single spaces, e.g. openid email profile' })
    .refine((v) => v.split(' ').includes('openid'), { error: 'must include openid' })
    .optional(),
  OIDC_BUTTON_LABEL: z.string().trim().min(1).max(60, { error: 'must be at most 60 characters' }).optional(),
  PASSWORD_SIGN_IN: z.enum(['on', 'off'], { error: 'must be on (email and password sign-in offered) or off (single sign-on only)' }).transform((v) => v === 'on').optional(),
};

const fieldsSchema = z.object(ssoFields);
type Fields = z.infer<typeof fieldsSchema>;

/** Defaults, applied where the settings are used so that an environment without single sign-on parses as before. */
export const SSO_DEFAULTS = { roleClaim: 'groups', scopes: 'openid email profile', buttonLabel: 'SSO' } as const;

/** Whether the email and password form is offered (PASSWORD_SIGN_IN, on unless set to off). */
export function passwordSignIn(v: Fields): boolean {
  return v.PASSWORD_SIGN_IN !== false;
}


/** Cross-field rules: single sign-on needs its client and rules; password sign-in goes off only when it is on. */
export function checkSsoSettings(v: Fields, ctx: z.RefinementCtx): void {
  if (v.OIDC_ISSUER) {
    const needed = { OIDC_CLIENT_ID: 'the client id registered at the provider', OIDC_ALLOWED_DOMAINS: 'the email domains allowed in, e.g. acme.com', OIDC_ROLE_MAP: 'which claim values give which role, e.g. status-admins=admin,*=viewer' } as const;
    for (const [key, what] of Object.entries(needed)) if (!v[key as keyof typeof needed]) ctx.addIssue({ code: 'custom', path: [key], message: `is required when OIDC_ISSUER is set: ${what}` });
  } else {
    for (const key of ['OIDC_CLIENT_ID', 'OIDC_ALLOWED_DOMAINS', 'OIDC_ROLE_MAP', 'OIDC_BUTTON_LABEL'] as const) {
      if (v[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'needs OIDC_ISSUER, the provider\'s issuer URL' });
    }
  }
  if (v.PASSWORD_SIGN_IN === false && !v.OIDC_ISSUER) ctx.addIssue({ code: 'custom', path: ['PASSWORD_SIGN_IN'], message: 'can be off only with single sign-on set up (OIDC_ISSUER); otherwise nobody could sign in' });
}

export interface SsoConfig extends SsoRules {
  issuer: URL;
  clientId: string;
  clientSecret: string | null;
  scopes: string;
  buttonLabel: string;
}

/** Single sign-on as configured, or null when it is off. */
export function ssoConfig(v: Fields): SsoConfig | null {
  if (!v.OIDC_ISSUER || !v.OIDC_CLIENT_ID || !v.OIDC_ALLOWED_DOMAINS || !v.OIDC_ROLE_MAP) return null;
  const issuer = new URL(v.OIDC_ISSUER);
  return {
    issuer,
    clientId: v.OIDC_CLIENT_ID,
    clientSecret: v.OIDC_CLIENT_SECRET ?? null,
    allowedDomains: v.OIDC_ALLOWED_DOMAINS,
    roleClaim: v.OIDC_ROLE_CLAIM ?? SSO_DEFAULTS.roleClaim,
    roleMap: v.OIDC_ROLE_MAP as RoleMap,
    scopes: v.OIDC_SCOPES ?? SSO_DEFAULTS.scopes,
    buttonLabel: v.OIDC_BUTTON_LABEL ?? SSO_DEFAULTS.buttonLabel,
  };
}
