// Whether a user has a second factor: a confirmed TOTP app or a passkey. Either one makes a password sign-in two steps
// and satisfies REQUIRE_2FA.
import type { Db } from '../db/connection.ts';
import { hasPasskey } from './passkeys.ts';
import { hasTotp } from './totp.ts';

/** TOTP or at least one passkey. */
export async function hasSecondFactor(db: Db, userId: string): Promise<boolean> {
  return (await hasTotp(db, userId)) || (await hasPasskey(db, userId));
}

/** Which second factors the user has, for the second-step page to offer. */
export async function secondFactors(db: Db, userId: string): Promise<{ totp: boolean; passkey: boolean }> {
  return { totp: await hasTotp(db, userId), passkey: await hasPasskey(db, userId) };
}
