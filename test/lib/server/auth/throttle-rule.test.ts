// The throttle's rule, table by table (decision record 009).
import { describe, expect, it } from 'vitest';
import { decideSignIn, type SignInHistory } from '../../../../src/lib/server/auth/throttle-rule.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
const MIN = 60_000;
/** `n` failures, one a second, the newest `ago` ms before now. */
const failures = (n: number, ago = 0): number[] => Array.from({ length: n }, (_, i) => now - ago - i * 1000);
const none: SignInHistory = { accountAndAddress: [], address: [], account: [], knownAddress: false };

describe('decideSignIn', () => {
  it.each<[string, Partial<SignInHistory>, ReturnType<typeof decideSignIn>]>([
    ['nothing failed', {}, { throttled: false }],
    ['4 failures of this account from this address', { accountAndAddress: failures(4) }, { throttled: false }],
    ['5: this address waits for this account until the 5th newest is 15 min old', { accountAndAddress: failures(5) }, { throttled: true, limit: 'account-and-address', retryAfterSeconds: 15 * 60 - 4 }],
    ['19 from this address, any accounts', { address: failures(19) }, { throttled: false }],
    ['20 from this address', { address: failures(20, 5 * MIN) }, { throttled: true, limit: 'address', retryAfterSeconds: 10 * 60 - 19 }],
    ['99 of this account from everywhere', { account: failures(99) }, { throttled: false }],
    ['100 of this account from everywhere, a new address', { account: failures(100, 10 * MIN) }, { throttled: true, limit: 'account', retryAfterSeconds: 50 * 60 - 99 }],
    ['100 of this account, but its owner signed in from this address', { account: failures(100), knownAddress: true }, { throttled: false }],
    ['a known address still gets only 5 guesses', { accountAndAddress: failures(5), knownAddress: true }, { throttled: true, limit: 'account-and-address', retryAfterSeconds: 15 * 60 - 4 }],
    ['the longest wait wins', { accountAndAddress: failures(5, 10 * MIN), account: failures(100) }, { throttled: true, limit: 'account', retryAfterSeconds: 60 * 60 - 99 }],
    ['waits end: failures older than their window are let go', { accountAndAddress: failures(5, 15 * MIN) }, { throttled: false }],
    ['a wait under a second is a second', { accountAndAddress: [now - 15 * MIN + 200, ...failures(4)] }, { throttled: true, limit: 'account-and-address', retryAfterSeconds: 1 }],
  ])('%s', (_name, history, expected) => {
    expect(decideSignIn({ ...none, ...history }, now)).toEqual(expected);
  });

  it('does not care about the order of the times', () => {
    const times = failures(5).reverse();
    expect(decideSignIn({ ...none, accountAndAddress: times }, now)).toEqual(decideSignIn({ ...none, accountAndAddress: failures(5) }, now));
  });
});
