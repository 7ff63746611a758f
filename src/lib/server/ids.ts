// Random identifiers and tokens, and their hashes, for everything the server creates.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** A random token with `bytes` bytes of entropy, base32 (URL- and cookie-safe). */
export function randomToken(bytes = 20): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return encodeBase32LowerCaseNoPadding(b);
}

/** A random row id. */
export function newId(): string {
  return randomToken(15);
}

let lastMs = 0;
let sequence = 0;

/**
 * A row id that sorts after every one this process made before (time, then a counter, then 10 random bytes against
 * other processes): rows read back in id order are then the rows in the order they were written, next to each other
 * in the table and appended to its index, instead of scattered over every page (the outbox: 100,000 rows a fan-out).
 */
export function sequentialId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else sequence++;
  return `${lastMs.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${randomToken(10)}`;
}

/** SHA-256 of a token, hex: what is stored instead of the token. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
