// Which passwords are refused, and why: too short, too common (zxcvbn's maintained lists), or built from the
// site's name or the account's email.
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../../src/lib/server/auth/password.ts';

const context = { siteName: 'Acme Cloud', email: 'jane.doe@acme.test' };

describe('passwordProblem', () => {
  it.each([
    'correct horse battery staple',
    'a much better passphrase',
    'violet tractor under moonlight',
    'Tr0ub4dour&3xyzQ',
  ])('accepts %j', (password) => {
    expect(passwordProblem(password, context)).toBeNull();
  });

  it.each<[string, RegExp]>([
    ['short', /^must be at least 12 characters$/],
    ['x'.repeat(257), /^must be at most 256 characters$/],
    ['password1234', /^is too common: it is similar to a commonly used password; add a few unrelated words$/],
    ['iloveyou2024', /^is too common/],
    ['qwertyuiop123', /^is too common/],
    ['monkey123456', /^is too common/],
    ['aaaaaaaaaaaa', /^is too easy to guess: repeated characters like "aaa" are easy to guess; add a few unrelated words$/],
    ['abcdefghijklm', /^is too easy to guess: common character sequences/],
    ['AcmeCloud2026!', /^contains the site name \("acmecloud"\); choose words that have nothing to do with this site$/],
    ['my acme password is long', /^contains the site name \("acme"\)/],
    ['clouds over the river', /^contains the site name \("cloud"\)/],
    ['janedoe-is-my-name', /^contains your email address \("janedoe"\)/],
    ['hello jane how are you', /^contains your email address \("jane"\)/],
  ])('refuses %j', (password, why) => {
    expect(passwordProblem(password, context)).toMatch(why);
  });

  it('uses the email only when there is one, and ignores very short names', () => {
    expect(passwordProblem('hello jane how are you', { siteName: 'Acme Cloud', email: null })).toBeNull();
    expect(passwordProblem('an ox grazes by the quiet lake', { siteName: 'Ox', email: 'ox@example.com' })).toBeNull();
  });

  it('counts the email domain and the site name as guessable, not as a refusal', () => {
    expect(passwordProblem('acmetest2024', { siteName: 'Status', email: 'ops@acme-test.io' })).toMatch(/^is too (common|easy to guess)/);
  });
});
