// WebAuthn challenges: random, stored only as a hash, bound to one purpose and one user or pending sign-in, short
// lived and used once (the answer's check deletes the row, so a replayed answer finds nothing).
import type { Db } from '../db/connection.ts';
import { hashToken } from '../ids.ts';
import { isoBase64URL } from '@simplewebauthn/server/helpers';

export const CHALLENGE_MS = 5 * 60_000;

export type ChallengePurpose = 'register' | 'second-step' | 'sign-in';

/** What a challenge is for: registration binds a user, the second step a pending sign-in, passwordless nothing. */
export interface ChallengeBinding {
  purpose: ChallengePurpose;
  userId: string | null;
  pendingId: string | null;
}

const iso = (t: number): string => new Date(t).toISOString();

/** A fresh challenge (base64url, 32 random bytes) stored for `binding`; expired ones are pruned on the way. */
export async function createChallenge(db: Db, binding: ChallengeBinding, now: number): Promise<string> {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const challenge = isoBase64URL.fromBuffer(bytes);
  await db.deleteFrom('passkey_challenge').where('expires_at', '<', iso(now)).execute();
  await db
    .insertInto('passkey_challenge')
    .values({ id: hashToken(challenge), purpose: binding.purpose, user_id: binding.userId, pending_id: binding.pendingId, expires_at: iso(now + CHALLENGE_MS), created_at: iso(now) })
    .execute();
  return challenge;
}

/** Uses up the challenge if it exists, is unexpired and has exactly this binding; false otherwise (or when already used). */
export async function consumeChallenge(db: Db, challenge: string, binding: ChallengeBinding, now: number): Promise<boolean> {
  let q = db
    .deleteFrom('passkey_challenge')
    .where('id', '=', hashToken(challenge))
    .where('purpose', '=', binding.purpose)
    .where('expires_at', '>', iso(now));
  q = binding.userId === null ? q.where('user_id', 'is', null) : q.where('user_id', '=', binding.userId);
  q = binding.pendingId === null ? q.where('pending_id', 'is', null) : q.where('pending_id', '=', binding.pendingId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
