// Passwords: which ones are refused (too short, too common, built from the site's name or the email), and argon2id
// hashes only; never logged.
import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
/** zxcvbn's score (0–4) a password needs: 3 is "safely unguessable" against online attacks with throttling. */
export const MIN_PASSWORD_SCORE = 3;

/** Whose password it is: it may not be built from these. */
export interface PasswordContext {
  siteName: string;
  email: string | null;
}

// OWASP's recommended argon2id parameters (19 MiB, 2 iterations, 1 lane).
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

// The maintained lists (common passwords, English words and names, keyboard patterns), loaded at first use.
let estimator: ZxcvbnFactory | null = null;
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations: zxcvbnEnglish.translations,
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
  });
  return estimator;
}

const compact = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** A name as the pieces a password must not contain: the whole of it, and each word of 4 or more letters. */
function pieces(name: string): string[] {
  const words = name.split(/[^\p{L}\p{N}]+/u).map(compact).filter((w) => w.length >= 4);
  const whole = compact(name);
  return [...new Set([whole, ...words])].filter((p) => p.length >= 3);
}

/** Why a password is refused ("is too common…", "contains the site name…"), or null when it is acceptable. */
export function passwordProblem(password: string, context: PasswordContext): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const typed = compact(password);
  const fromSite = pieces(context.siteName).find((p) => typed.includes(p));
  if (fromSite) return `contains the site name ("${fromSite}"); choose words that have nothing to do with this site`;
  const local = context.email?.split('@')[0] ?? '';
  const fromEmail = pieces(local).find((p) => typed.includes(p));
  if (fromEmail) return `contains your email address ("${fromEmail}"); choose words that have nothing to do with you`;
  const domain = context.email?.split('@')[1]?.split('.')[0] ?? '';
  const result = strength().check(password, [...pieces(context.siteName), ...pieces(local), ...pieces(domain)]);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const common = result.sequence.some((m) => m.pattern === 'dictionary' && m.dictionaryName === 'passwords-common');
  const why = result.feedback.warning?.replace(/\.$/, '').replace(/^This/, 'it') ?? null;
  if (common) return `is too common${why ? `: ${why}` : ''}; add a few unrelated words`;
  return `is too easy to guess${why ? `: ${why.charAt(0).toLowerCase()}${why.slice(1)}` : ''}; add a few unrelated words`;
}

/** The argon2id hash to store. */
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
