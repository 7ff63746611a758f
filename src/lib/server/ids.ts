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

/** SHA-256 of a token, hex: what is stored instead of the token. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
