// The sign-in throttle's rule (docs/decisions/009-sign-in-throttle.md), pure: recent failures in, a decision out.

const MINUTE = 60_000;

/** Failures of one account from one address: more and that address waits, for that account only. */
export const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
/** Failures from one address, whatever the accounts (password spraying). */
export const MAX_FAILURES_PER_ADDRESS = 20;
/** The window both limits above count over. */
export const THROTTLE_WINDOW_MS = 15 * MINUTE;
/** Failures of one account from every address (distributed guessing); addresses its owner signed in from are exempt. */
export const MAX_FAILURES_PER_ACCOUNT = 100;
/** The window the per-account limit counts over. */
export const ACCOUNT_WINDOW_MS = 60 * MINUTE;
/** How long an address the account signed in from stays exempt from the per-account limit. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * MINUTE;
/** Rows older than this matter to no limit and may be deleted. */
export const FAILURE_RETENTION_MS = Math.max(THROTTLE_WINDOW_MS, ACCOUNT_WINDOW_MS);

/** Times (ms) of failures, each list only those inside its window; `knownAddress`: the account signed in from it lately. */
export interface SignInHistory {
  accountAndAddress: readonly number[];
  address: readonly number[];
  account: readonly number[];
  knownAddress: boolean;
}

export type ThrottleLimit = 'account-and-address' | 'address' | 'account';

export type Throttle = { throttled: false } | { throttled: true; retryAfterSeconds: number; limit: ThrottleLimit };

/** When `limit` failures inside the window stop being so many: the limit-th newest ages out. */
function blockedUntil(times: readonly number[], limit: number, windowMs: number): number {
  if (times.length < limit) return 0;
  const newestFirst = [...times].sort((a, b) => b - a);
  return newestFirst[limit - 1]! + windowMs;
}

/** Whether one more attempt may be evaluated now, and if not, for how long and by which limit. */
export function decideSignIn(history: SignInHistory, now: number): Throttle {
  const limits: [ThrottleLimit, number][] = [
    ['account-and-address', blockedUntil(history.accountAndAddress, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, THROTTLE_WINDOW_MS)],
    ['address', blockedUntil(history.address, MAX_FAILURES_PER_ADDRESS, THROTTLE_WINDOW_MS)],
    ['account', history.knownAddress ? 0 : blockedUntil(history.account, MAX_FAILURES_PER_ACCOUNT, ACCOUNT_WINDOW_MS)],
  ];
  let worst: [ThrottleLimit, number] | null = null;
  for (const l of limits) if (l[1] > now && (worst === null || l[1] > worst[1])) worst = l;
  if (worst === null) return { throttled: false };
  return { throttled: true, limit: worst[0], retryAfterSeconds: Math.max(1, Math.ceil((worst[1] - now) / 1000)) };
}
