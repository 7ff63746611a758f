// A request carrying the admin session cookie bypasses the response cache (it may be a team member's view).
import { describe, expect, it } from 'vitest';
import { hasSessionCookie } from '../../../../src/lib/server/cache/response-cache.ts';
import { SESSION_COOKIE } from '../../../../src/lib/server/auth/session.ts';

describe('hasSessionCookie', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['theme=dark', false],
    ['kaizen_session=', false],
    ['xkaizen_session=abc', false],
    ['kaizen_session=abc', true],
    ['theme=dark; kaizen_session=abc; lang=de', true],
    [' kaizen_session = abc ', true],
  ])('%j → %s', (header, expected) => {
    expect(hasSessionCookie(header)).toBe(expected);
  });

  it('uses the session module\'s cookie name', () => {
    expect(hasSessionCookie(`${SESSION_COOKIE}=t`)).toBe(true);
  });
});
