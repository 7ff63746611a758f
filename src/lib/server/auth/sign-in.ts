// Signing in, first-admin setup and password resets: the flows the admin pages call.
import type { Db } from '../db/connection.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { consumeOneTimeToken, peekOneTimeToken } from './one-time-link.ts';
import { hashPassword, passwordProblem, verifyPassword, type PasswordContext } from './password.ts';
import { forgetKnownAddresses, reserveSignInAttempt, settleSuccessfulSignIn } from './rate-limit.ts';
import { createSession, generateSessionToken, invalidateUserSessions, type Session } from './session.ts';
import { hasSecondFactor } from './second-factor.ts';
import { useSecondFactor, type SecondFactor } from './totp.ts';
import { consumePendingSignIn, createPendingSignIn, peekPendingSignIn } from './totp-pending.ts';
import { countUsers, emailLengthProblem, findUserByEmail, insertUser, normalizeEmail, setPasswordHash } from './users.ts';

export type SignInResult =
  | { ok: true; token: string; session: Session }
  | { ok: 'second-step'; pendingToken: string; expiresAt: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'too-long'; field: 'email'; message: string }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Unknown email and wrong password take the same path and the same time, and give the same answer. The attempt is
 * reserved before the password is verified (decision record 009), so a throttled one costs no verification.
 * A user with a second factor (TOTP or a passkey) gets a pending sign-in instead of a session; the reservation then stays until the code is
 * right (decision 015), so a known password does not buy fresh guesses at the code.
 */
export async function signIn(db: Db, emailInput: string, password: string, ip: string, now: number): Promise<SignInResult> {
  const email = normalizeEmail(emailInput);
  // No account has so long an address: nothing to throttle, look up or record (it would only fill the tables).
  const tooLong = emailLengthProblem(email);
  if (tooLong) return { ok: false, reason: 'too-long', field: 'email', message: tooLong };
  const reservation = await reserveSignInAttempt(db, email, ip, now);
  if (!reservation.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds };
  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !valid) {
    // The reservation stays: it is the failure.
    await recordAudit(db, { actor: email || '(blank)', action: 'sign_in_failed', detail: `from ${ip}` }, now);
    return { ok: false, reason: 'invalid' };
  }
  if (await hasSecondFactor(db, user.id)) {
    const pending = await createPendingSignIn(db, user.id, ip, now);
    return { ok: 'second-step', pendingToken: pending.token, expiresAt: pending.expiresAt };
  }
  await settleSuccessfulSignIn(db, email, ip, now);
  const token = generateSessionToken();
  const session = await createSession(db, token, { id: user.id, email: user.email }, now);
  await recordAudit(db, { actor: user.email, action: 'sign_in', detail: `from ${ip}` }, now);
  return { ok: true, token, session };
}

export type CodeCheck = { ok: true; factor: SecondFactor } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * A second-factor code checked under the sign-in throttle: reserved per account and address like a password, so
 * wrong codes count as failed sign-ins; a right one settles like a successful sign-in.
 */
export async function checkCodeThrottled(db: Db, user: { id: string; email: string }, code: string, ip: string, now: number): Promise<CodeCheck> {
  const reservation = await reserveSignInAttempt(db, user.email, ip, now);
  if (!reservation.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds };
  const factor = await useSecondFactor(db, user.id, code, now);
  if (!factor) {
    await recordAudit(db, { actor: user.email, action: 'sign_in_failed', detail: `wrong two-factor code from ${ip}` }, now);
    return { ok: false, reason: 'invalid' };
  }
  await settleSuccessfulSignIn(db, user.email, ip, now);
  return { ok: true, factor };
}

export type SecondStepResult =
  | { ok: true; token: string; session: Session; factor: SecondFactor }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** The sign-in's second step: the pending token from the cookie and a TOTP or recovery code; the session only then. */
export async function completeSecondStep(db: Db, pendingToken: string, code: string, ip: string, now: number): Promise<SecondStepResult> {
  const pending = await peekPendingSignIn(db, pendingToken, now);
  if (!pending) return { ok: false, reason: 'expired' };
  const check = await checkCodeThrottled(db, { id: pending.userId, email: pending.email }, code, ip, now);
  if (!check.ok) return check;
  if (!(await consumePendingSignIn(db, pending.id))) return { ok: false, reason: 'expired' };
  const token = generateSessionToken();
  const session = await createSession(db, token, { id: pending.userId, email: pending.email }, now);
  const how = check.factor === 'recovery' ? 'password and a recovery code' : 'password and a TOTP code';
  await recordAudit(db, { actor: pending.email, action: 'sign_in', detail: `from ${ip}, ${how}` }, now);
  return { ok: true, token, session, factor: check.factor };
}

export type AccountResult = { ok: true; token: string; session: Session } | { ok: false; errors: Record<string, string> };

function checkNewPassword(password: string, confirm: string, context: PasswordContext): Record<string, string> {
  const errors: Record<string, string> = {};
  const problem = passwordProblem(password, context);
  if (problem) errors.password = `Password ${problem}.`;
  else if (password !== confirm) errors.confirm = 'The two passwords differ.';
  return errors;
}

/** Creates the first admin through the setup link; refused once any user exists. `siteName`: site.yaml's, kept out of the password. */
export async function setUpFirstAdmin(db: Db, token: string, emailInput: string, password: string, confirm: string, siteName: string, now: number): Promise<AccountResult> {
  const email = normalizeEmail(emailInput);
  const errors = checkNewPassword(password, confirm, { siteName, email });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Enter an email address, like oncall@example.com.';
  const tooLong = emailLengthProblem(email);
  if (tooLong) errors.email = tooLong;
  const link = await peekOneTimeToken(db, 'setup', token, now);
  if (!link || (await countUsers(db)) > 0) return { ok: false, errors: { form: 'This setup link is invalid, used or expired. Restart the server for a new one.' } };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const hash = await hashPassword(password);
  if (!(await consumeOneTimeToken(db, link.id, now))) return { ok: false, errors: { form: 'This setup link has just been used.' } };
  const userId = await insertUser(db, email, hash, now);
  await recordAudit(db, { actor: email, action: 'user_created', target: email, detail: 'first admin, through the setup link' }, now);
  const sessionToken = generateSessionToken();
  const session = await createSession(db, sessionToken, { id: userId, email }, now);
  return { ok: true, token: sessionToken, session };
}

export type ResetResult = AccountResult | { ok: 'second-step'; pendingToken: string; expiresAt: number };

/**
 * Sets a new password through a reset link; every existing session of the user ends. A link stands in for the
 * password only: a user with TOTP or a passkey still gets the second step (a pending sign-in), not a session.
 */
export async function resetPassword(db: Db, token: string, password: string, confirm: string, siteName: string, now: number): Promise<ResetResult> {
  const link = await peekOneTimeToken(db, 'reset', token, now);
  const user = link?.email ? await findUserByEmail(db, link.email) : null;
  if (!link || !user) return { ok: false, errors: { form: 'This link is invalid, used or expired. Ask for a new one with npm run user -- reset-password.' } };
  const errors = checkNewPassword(password, confirm, { siteName, email: user.email });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const hash = await hashPassword(password);
  if (!(await consumeOneTimeToken(db, link.id, now))) return { ok: false, errors: { form: 'This link has just been used.' } };
  await setPasswordHash(db, user.id, hash);
  await invalidateUserSessions(db, user.id);
  await forgetKnownAddresses(db, user.email);
  await recordAudit(db, { actor: user.email, action: 'password_reset', target: user.email }, now);
  if (await hasSecondFactor(db, user.id)) {
    const pending = await createPendingSignIn(db, user.id, 'reset-link', now);
    return { ok: 'second-step', pendingToken: pending.token, expiresAt: pending.expiresAt };
  }
  const sessionToken = generateSessionToken();
  const session = await createSession(db, sessionToken, { id: user.id, email: user.email }, now);
  return { ok: true, token: sessionToken, session };
}
