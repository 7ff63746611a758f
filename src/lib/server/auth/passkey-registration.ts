// Adding a passkey to the signed-in user's account: the options for navigator.credentials.create and the check of
// its answer. Discoverable credentials (resident keys), so the same passkey also signs in without a password.
import { generateRegistrationOptions, verifyRegistrationResponse, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Db } from '../db/connection.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { CHALLENGE_MS, consumeChallenge, createChallenge } from './passkey-challenge.ts';
import { parseAnswer } from './passkey-answer.ts';
import type { RelyingParty } from './passkey-party.ts';
import { insertPasskey, listPasskeys, PASSKEY_NAME_MAX } from './passkeys.ts';

export type RegistrationResult = { ok: true; name: string } | { ok: false; field: 'name' | 'passkey'; error: string };

/** The name field's problem, or null: required, at most PASSKEY_NAME_MAX characters. */
export function passkeyNameProblem(name: string): string | null {
  if (name === '') return 'Name: give the passkey a name you will recognise, like "Work laptop".';
  if (name.length > PASSKEY_NAME_MAX) return `Name: at most ${PASSKEY_NAME_MAX} characters (this one has ${name.length}).`;
  return null;
}

/** Options for the browser, with a fresh challenge bound to this user; the user's passkeys are excluded. */
export async function registrationOptions(db: Db, user: { id: string; email: string }, rp: RelyingParty, now: number): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const challenge = await createChallenge(db, { purpose: 'register', userId: user.id, pendingId: null }, now);
  const existing = await listPasskeys(db, user.id);
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.email,
    userID: new TextEncoder().encode(user.id),
    challenge: isoBase64URL.toBuffer(challenge),
    timeout: CHALLENGE_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
}

/** Checks the browser's answer (challenge of this user, used once; origin; rp id) and stores the passkey; audited. */
export async function registerPasskey(db: Db, user: { id: string; email: string }, rp: RelyingParty, answerField: string, nameInput: string, now: number): Promise<RegistrationResult> {
  const name = nameInput.trim();
  const problem = passkeyNameProblem(name);
  if (problem) return { ok: false, field: 'name', error: problem };
  const answer = parseAnswer<RegistrationResponseJSON>(answerField);
  if (!answer) return { ok: false, field: 'passkey', error: 'The browser did not send a passkey. Try again.' };
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: answer,
      expectedChallenge: (c) => consumeChallenge(db, c, { purpose: 'register', userId: user.id, pendingId: null }, now),
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
  } catch (e) {
    return { ok: false, field: 'passkey', error: `The passkey could not be added: ${e instanceof Error ? e.message : String(e)}. Try again.` };
  }
  if (!verified.verified) return { ok: false, field: 'passkey', error: 'The passkey could not be verified. Try again.' };
  const c = verified.registrationInfo.credential;
  const id = await insertPasskey(db, { credentialId: c.id, userId: user.id, publicKey: isoBase64URL.fromBuffer(c.publicKey), counter: c.counter, transports: c.transports ?? [], name }, now);
  if (!id) return { ok: false, field: 'passkey', error: 'This passkey is registered already.' };
  await recordAudit(db, { actor: user.email, action: 'passkey_added', target: user.email, detail: name }, now);
  return { ok: true, name };
}
