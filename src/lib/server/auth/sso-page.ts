// What the sign-in page shows about single sign-on: the button, whether the password form is offered, and the
// reason a single sign-on just failed (the callback sends the browser back with ?sso=<reason>).
import { env } from '../env.ts';
import { passwordSignIn, ssoConfig } from './sso-settings.ts';
import { ssoFailures, type SsoFailure } from './sso-sign-in.ts';
import { lastProviderProblem } from './sso-provider.ts';

export const SSO_START_PATH = '/admin/login/sso';

export interface SsoLoginView {
  /** "Sign in with …" and where it goes; null when single sign-on is off. */
  button: { label: string; href: string } | null;
  passwordSignIn: boolean;
  /** A failed single sign-on: what to say and the page's status. */
  failure: { message: string; status: number } | null;
}

function failureText(reason: SsoFailure, label: string, passwordSignIn: boolean): { message: string; status: number } {
  const orPassword = passwordSignIn ? ', or sign in with your email and password below' : '';
  switch (reason) {
    case 'unavailable':
      return { status: 503, message: `Single sign-on is unavailable right now (${lastProviderProblem() ?? 'the provider did not answer'}). Try again in a minute${orPassword}.` };
    case 'expired':
      return { status: 400, message: 'That single sign-on took too long, was already used, or was started in another browser. Start again.' };
    case 'state':
      return { status: 400, message: 'That single sign-on answer does not belong to the sign-in started in this browser, so it was refused. Start again.' };
    case 'denied':
      return { status: 403, message: `${label} did not let you in (access denied). Nothing was changed here.` };
    case 'provider-error':
      return { status: 502, message: `${label} answered with an error instead of signing you in. Start again${orPassword}.` };
    case 'rejected':
      return { status: 400, message: `${label}'s answer failed the security checks (code, nonce or signature), so nobody was signed in. Start again.` };
    case 'no-email':
      return { status: 403, message: `${label} did not tell us your email address; ask your administrator to release the email claim to this site.` };
    case 'unverified':
      return { status: 403, message: `${label} does not say your email address is verified, so it cannot sign you in here.` };
    case 'domain':
      return { status: 403, message: 'Your email address is not in a domain allowed to sign in here. Ask an admin of this status page.' };
    case 'unmapped':
      return { status: 403, message: 'Your account at the provider is in no group that gives access here. Ask your administrator to add you to one.' };
  }
}

/** The sign-in page's single sign-on parts for this URL. */
export function ssoLoginView(url: URL, next: string): SsoLoginView {
  const settings = env();
  const sso = ssoConfig(settings);
  const label = sso?.buttonLabel ?? 'single sign-on';
  const reason = url.searchParams.get('sso');
  const failure = reason !== null && (ssoFailures as readonly string[]).includes(reason) ? failureText(reason as SsoFailure, label, passwordSignIn(settings)) : null;
  return {
    button: sso ? { label: `Sign in with ${sso.buttonLabel}`, href: `${SSO_START_PATH}?next=${encodeURIComponent(next)}` } : null,
    passwordSignIn: passwordSignIn(settings),
    failure,
  };
}
