// TOTP (RFC 6238) codes and recovery codes, pure: the clock is a parameter, so tests choose the moment.
import { createTOTPKeyURI, generateHOTP, verifyHOTP } from '@oslojs/otp';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { hashToken, randomToken } from '../ids.ts';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one (clock drift, a code typed as it changed). */
export const TOTP_WINDOW_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

/** A new 160-bit key (RFC 4226's recommended length), hex as stored. */
export function generateTotpSecret(): string {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return encodeHexLowerCase(key);
}

/** The time step `now` (ms) falls in. */
export function totpStep(now: number): number {
  return Math.floor(now / (TOTP_PERIOD_SECONDS * 1000));
}

/** The code of one step (tests and the enrolment check use it). */
export function totpCodeAt(secretHex: string, step: number): string {
  return generateHOTP(decodeHex(secretHex), BigInt(step), TOTP_DIGITS);
}

/**
 * The step whose code `code` is, within ±1 step of `now`, and later than `lastUsedStep` (a code already used, or
 * one older than it, is a replay); null when it matches none.
 */
export function matchTotpCode(secretHex: string, code: string, now: number, lastUsedStep: number | null): number | null {
  const digits = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const key = decodeHex(secretHex);
  const current = totpStep(now);
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, digits)) return step;
  }
  return null;
}

/** The otpauth:// URI an authenticator app reads (from the QR code or typed in). */
export function totpUri(secretHex: string, issuer: string, account: string): string {
  return createTOTPKeyURI(issuer, account, decodeHex(secretHex), TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** Ten recovery codes, 80 bits each, shown as four groups of four characters. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => randomToken(10).slice(0, 16).match(/.{4}/g)!.join('-'));
}

/** What is stored for a recovery code: the SHA-256 of its characters, dashes, spaces and case ignored. */
export function hashRecoveryCode(code: string): string {
  return hashToken(code.toLowerCase().replace(/[\s-]+/g, ''));
}

/** Whether what was typed looks like a TOTP code (six digits) rather than a recovery code. */
export function looksLikeTotpCode(input: string): boolean {
  return /^\d{6}$/.test(input.replace(/\s+/g, ''));
}
