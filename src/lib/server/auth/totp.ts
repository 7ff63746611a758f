// A user's TOTP second factor and recovery codes in the database: enrolment, checking a code, turning it off.
// The secret is stored as it is (not encrypted) and is shown only while enrolment is pending; see decision 015.
import type { Db } from '../db/connection.ts';
import { newId } from '../ids.ts';
import { generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, looksLikeTotpCode, matchTotpCode } from './totp-code.ts';

export interface TotpStatus {
  enabled: boolean;
  /** The secret of an enrolment not yet confirmed with a code (the only time it is shown); null otherwise. */
  pendingSecret: string | null;
  recoveryCodesLeft: number;
}

export type SecondFactor = 'totp' | 'recovery';

/** Whether the user has a confirmed TOTP second factor. */
export async function hasTotp(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('user_totp').select('enabled_at').where('user_id', '=', userId).executeTakeFirst();
  return row?.enabled_at != null;
}

/** What the account page shows. */
export async function totpStatus(db: Db, userId: string): Promise<TotpStatus> {
  const row = await db.selectFrom('user_totp').select(['secret', 'enabled_at']).where('user_id', '=', userId).executeTakeFirst();
  const left = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    enabled: row?.enabled_at != null,
    pendingSecret: row && row.enabled_at == null ? row.secret : null,
    recoveryCodesLeft: row?.enabled_at != null ? Number(left.n) : 0,
  };
}

/** Starts (or restarts) enrolment with a fresh secret; null when TOTP is already on. */
export async function startTotpEnrolment(db: Db, userId: string, now: number): Promise<string | null> {
  if (await hasTotp(db, userId)) return null;
  const secret = generateTotpSecret();
  await db.deleteFrom('user_totp').where('user_id', '=', userId).execute();
  await db.insertInto('user_totp').values({ user_id: userId, secret, enabled_at: null, last_used_step: null, created_at: new Date(now).toISOString() }).execute();
  return secret;
}

/** Replaces the user's recovery codes with ten new ones and returns them (the only time they are readable). */
async function replaceRecoveryCodes(db: Db, userId: string, now: number): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
    await trx
      .insertInto('recovery_code')
      .values(codes.map((c) => ({ id: newId(), user_id: userId, code_hash: hashRecoveryCode(c), used_at: null, created_at: new Date(now).toISOString() })))
      .execute();
  });
  return codes;
}

/** Confirms a pending enrolment with a code from the app: TOTP is on, and the new recovery codes are returned; null for a wrong code. */
export async function confirmTotpEnrolment(db: Db, userId: string, code: string, now: number): Promise<string[] | null> {
  const row = await db.selectFrom('user_totp').select(['secret', 'enabled_at']).where('user_id', '=', userId).executeTakeFirst();
  if (!row || row.enabled_at != null) return null;
  const step = matchTotpCode(row.secret, code, now, null);
  if (step === null) return null;
  const r = await db
    .updateTable('user_totp')
    .set({ enabled_at: new Date(now).toISOString(), last_used_step: step })
    .where('user_id', '=', userId)
    .where('enabled_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return null;
  return replaceRecoveryCodes(db, userId, now);
}

/** A current TOTP code (not used before) or an unused recovery code, which is used up; null when neither. */
export async function useSecondFactor(db: Db, userId: string, input: string, now: number): Promise<SecondFactor | null> {
  const row = await db.selectFrom('user_totp').select(['secret', 'enabled_at', 'last_used_step']).where('user_id', '=', userId).executeTakeFirst();
  if (!row || row.enabled_at == null) return null;
  if (looksLikeTotpCode(input)) {
    const last = row.last_used_step == null ? null : Number(row.last_used_step);
    const step = matchTotpCode(row.secret, input, now, last);
    if (step === null) return null;
    // Conditional on the step read: of two requests with the same code, only one moves it on.
    let q = db.updateTable('user_totp').set({ last_used_step: step }).where('user_id', '=', userId);
    q = last === null ? q.where('last_used_step', 'is', null) : q.where('last_used_step', '=', last);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? 'totp' : null;
  }
  const r = await db
    .updateTable('recovery_code')
    .set({ used_at: new Date(now).toISOString() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(input))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? 'recovery' : null;
}

/** Turns TOTP off and drops the recovery codes; the caller has checked a current code (checkCodeThrottled). */
export async function disableTotp(db: Db, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
    await trx.deleteFrom('user_totp').where('user_id', '=', userId).execute();
  });
}

/** New recovery codes (the old set stops working); the caller has checked a current code (checkCodeThrottled). */
export async function regenerateRecoveryCodes(db: Db, userId: string, now: number): Promise<string[]> {
  return replaceRecoveryCodes(db, userId, now);
}
