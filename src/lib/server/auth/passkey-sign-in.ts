// Signing in with a passkey: as the second step after a correct password (the pending sign-in), or without a
// password (a discoverable credential with user verification, which counts as both factors). Both run under the
// sign-in throttle: a refused answer is a failed sign-in for the account and address (decision records 009, 018).
import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Db } from '../db/connection.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { CHALLENGE_MS, consumeChallenge, createChallenge, type ChallengeBinding } from './passkey-challenge.ts';
import { parseAnswer } from './passkey-answer.ts';
import type { RelyingParty } from './passkey-party.ts';
import { findPasskeyWithOwner, listPasskeys, recordPasskeyUse } from './passkeys.ts';
import { reserveSignInAttempt, settleSuccessfulSignIn } from './rate-limit.ts';
import { createSession, generateSessionToken, type Session } from './session.ts';
import { consumePendingSignIn, peekPendingSignIn } from './totp-pending.ts';

export type PasskeySignInResult =
  | { ok: true; token: string; session: Session }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** Options for the second step: this pending sign-in's user's passkeys only; null when the pending sign-in is gone. */
export async function secondStepOptions(db: Db, pendingToken: string, rp: RelyingParty, now: number): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const pending = await peekPendingSignIn(db, pendingToken, now);
  if (!pending) return null;
  const passkeys = await listPasskeys(db, pending.userId);
  const challenge = await createChallenge(db, { purpose: 'second-step', userId: pending.userId, pendingId: pending.id }, now);
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: isoBase64URL.toBuffer(challenge),
    timeout: CHALLENGE_MS,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
    // The password was the first factor; the passkey need only be present.
    userVerification: 'preferred',
  });
}

/** Options for a sign-in without a password: any discoverable passkey of this site, the user verified. */
export async function passwordlessOptions(db: Db, rp: RelyingParty, now: number): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const challenge = await createChallenge(db, { purpose: 'sign-in', userId: null, pendingId: null }, now);
  return generateAuthenticationOptions({ rpID: rp.id, challenge: isoBase64URL.toBuffer(challenge), timeout: CHALLENGE_MS, userVerification: 'required' });
}

type Check = { ok: true } | { ok: false; why: string };

/**
 * The assertion's check: the passkey exists and (for a second step) is the pending user's; the challenge is the
 * binding's, unexpired, and used up here; origin and rp id match; the signature verifies; the counter moved on
 * (when the authenticator keeps one) and is stored only if no other answer moved it first.
 */
async function checkAssertion(
  db: Db,
  answer: AuthenticationResponseJSON,
  passkey: Awaited<ReturnType<typeof findPasskeyWithOwner>>,
  binding: ChallengeBinding,
  rp: RelyingParty,
  userVerification: boolean,
  now: number,
): Promise<Check> {
  if (!passkey) return { ok: false, why: 'an unknown passkey' };
  if (binding.userId !== null && passkey.userId !== binding.userId) return { ok: false, why: "another account's passkey" };
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: answer,
      expectedChallenge: (c) => consumeChallenge(db, c, binding, now),
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.credentialId, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: userVerification,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // A counter that did not move on: the signature is real, so the key may have been copied (decision 018).
    if (/counter/i.test(message)) return { ok: false, why: `a passkey whose counter went back (${message}; possibly a cloned authenticator)` };
    return { ok: false, why: `a passkey answer that did not verify (${message})` };
  }
  if (!verified.verified) return { ok: false, why: 'a passkey signature that did not verify' };
  if (!(await recordPasskeyUse(db, passkey, verified.authenticationInfo.newCounter, now))) return { ok: false, why: 'a passkey answer used twice at once' };
  return { ok: true };
}

/** The second step with a passkey: the pending sign-in from the cookie and the browser's answer; the session only then. */
export async function completePasskeySecondStep(db: Db, pendingToken: string, answerField: string, rp: RelyingParty, ip: string, now: number): Promise<PasskeySignInResult> {
  const pending = await peekPendingSignIn(db, pendingToken, now);
  if (!pending) return { ok: false, reason: 'expired' };
  const reservation = await reserveSignInAttempt(db, pending.email, ip, now);
  if (!reservation.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds };
  const answer = parseAnswer<AuthenticationResponseJSON>(answerField);
  const passkey = answer ? await findPasskeyWithOwner(db, answer.id) : null;
  const check: Check = answer
    ? await checkAssertion(db, answer, passkey, { purpose: 'second-step', userId: pending.userId, pendingId: pending.id }, rp, false, now)
    : { ok: false, why: 'no passkey answer' };
  if (!check.ok) {
    await recordAudit(db, { actor: pending.email, action: 'sign_in_failed', detail: `${check.why} from ${ip}` }, now);
    return { ok: false, reason: 'invalid' };
  }
  await settleSuccessfulSignIn(db, pending.email, ip, now);
  if (!(await consumePendingSignIn(db, pending.id))) return { ok: false, reason: 'expired' };
  const token = generateSessionToken();
  const session = await createSession(db, token, { id: pending.userId, email: pending.email }, now);
  await recordAudit(db, { actor: pending.email, action: 'sign_in', detail: `from ${ip}, password and a passkey (${passkey!.name})` }, now);
  return { ok: true, token, session };
}

/**
 * A sign-in with a passkey alone. The account is the passkey's owner, so the throttle counts a refused answer
 * against that account and address (an unknown passkey against the address only, under a blank account).
 */
export async function signInWithPasskey(db: Db, answerField: string, rp: RelyingParty, ip: string, now: number): Promise<PasskeySignInResult> {
  const answer = parseAnswer<AuthenticationResponseJSON>(answerField);
  const passkey = answer ? await findPasskeyWithOwner(db, answer.id) : null;
  const email = passkey?.email ?? '';
  const reservation = await reserveSignInAttempt(db, email, ip, now);
  if (!reservation.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.retryAfterSeconds };
  const check: Check = answer
    ? await checkAssertion(db, answer, passkey, { purpose: 'sign-in', userId: null, pendingId: null }, rp, true, now)
    : { ok: false, why: 'no passkey answer' };
  if (!check.ok || !passkey) {
    await recordAudit(db, { actor: email || '(unknown passkey)', action: 'sign_in_failed', detail: `${check.ok ? 'an unknown passkey' : check.why} from ${ip}` }, now);
    return { ok: false, reason: 'invalid' };
  }
  await settleSuccessfulSignIn(db, email, ip, now);
  const token = generateSessionToken();
  const session = await createSession(db, token, { id: passkey.userId, email }, now);
  await recordAudit(db, { actor: email, action: 'sign_in', detail: `from ${ip}, passkey (${passkey.name}), no password` }, now);
  return { ok: true, token, session };
}
