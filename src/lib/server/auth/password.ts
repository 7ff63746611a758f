// Passwords: argon2id hashes only; never logged.
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 12;

// OWASP's recommended argon2id parameters (19 MiB, 2 iterations, 1 lane).
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 256) return 'must be at most 256 characters';
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// A real hash of nothing useful, so an unknown email costs the same time as a wrong password.
let dummyHash: Promise<string> | null = null;

/** Verifies a password; with no stored hash, still spends one verification so timing does not tell. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hash('not-a-real-password-for-timing', options);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
