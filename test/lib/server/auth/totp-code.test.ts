import { describe, expect, it } from 'vitest';
import {
  generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, looksLikeTotpCode, matchTotpCode, totpCodeAt, totpStep, totpUri,
} from '../../../../src/lib/server/auth/totp-code.ts';

// RFC 6238 appendix B's SHA-1 key ("12345678901234567890") and its codes, cut to six digits.
const RFC_KEY = Buffer.from('12345678901234567890').toString('hex');
const s = (seconds: number): number => seconds * 1000;

describe('TOTP codes with an injected clock', () => {
  it('matches RFC 6238 test vectors', () => {
    expect(totpCodeAt(RFC_KEY, totpStep(s(59)))).toBe('287082');
    expect(totpCodeAt(RFC_KEY, totpStep(s(1111111109)))).toBe('081804');
    expect(totpCodeAt(RFC_KEY, totpStep(s(1111111111)))).toBe('050471');
    expect(totpCodeAt(RFC_KEY, totpStep(s(1234567890)))).toBe('005924');
    expect(totpCodeAt(RFC_KEY, totpStep(s(2000000000)))).toBe('279037');
    expect(matchTotpCode(RFC_KEY, '287082', s(59), null)).toBe(1);
  });

  it('changes code exactly at a step boundary', () => {
    // 1111111109 and 1111111111 straddle the boundary at 1111111110 (step 37037037 → 37037038).
    expect(totpStep(s(1111111110) - 1)).toBe(37037036);
    expect(totpStep(s(1111111110))).toBe(37037037);
    const before = totpCodeAt(RFC_KEY, totpStep(s(1111111110) - 1));
    const after = totpCodeAt(RFC_KEY, totpStep(s(1111111110)));
    expect(before).not.toBe(after);
    expect(matchTotpCode(RFC_KEY, after, s(1111111110), null)).toBe(37037037);
  });

  it('accepts one step either side and refuses two', () => {
    const now = s(1_800_000_015);
    const step = totpStep(now);
    expect(matchTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, step - 1), now, null)).toBe(step - 1);
    expect(matchTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, step + 1), now, null)).toBe(step + 1);
    expect(matchTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, step - 2), now, null)).toBeNull();
    expect(matchTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, step + 2), now, null)).toBeNull();
    // The last millisecond of a step still accepts the previous step's code; the next millisecond does not.
    const lastMs = (step + 1) * 30_000 - 1;
    expect(matchTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, step - 1), lastMs, null)).toBe(step - 1);
    expect(matchTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, step - 1), lastMs + 1, null)).toBeNull();
  });

  it('refuses a replay: the used step and any earlier one', () => {
    const now = s(1_800_000_015);
    const step = totpStep(now);
    const code = totpCodeAt(RFC_KEY, step);
    expect(matchTotpCode(RFC_KEY, code, now, step)).toBeNull();
    expect(matchTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, step - 1), now, step)).toBeNull();
    // The next step's code is still fine after the current one was used.
    expect(matchTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, step + 1), now, step)).toBe(step + 1);
    expect(matchTotpCode(RFC_KEY, code, now, step - 1)).toBe(step);
  });

  it('refuses wrong codes and malformed input', () => {
    const now = s(1_800_000_015);
    const code = totpCodeAt(RFC_KEY, totpStep(now));
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(matchTotpCode(RFC_KEY, wrong, now, null)).toBeNull();
    expect(matchTotpCode(RFC_KEY, '', now, null)).toBeNull();
    expect(matchTotpCode(RFC_KEY, code.slice(0, 5), now, null)).toBeNull();
    expect(matchTotpCode(RFC_KEY, `${code}0`, now, null)).toBeNull();
    expect(matchTotpCode(RFC_KEY, 'abcdef', now, null)).toBeNull();
    expect(matchTotpCode(generateTotpSecret(), code, now, null)).toBeNull();
    // Spaces people type ("123 456") are ignored.
    expect(matchTotpCode(RFC_KEY, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).toBe(totpStep(now));
  });

  it('writes an otpauth URI with the base32 secret, period and digits', () => {
    const uri = new URL(totpUri(RFC_KEY, 'Acme Status', 'oncall@acme.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('issuer')).toBe('Acme Status');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes, hashed regardless of dashes and case, never six digits', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) {
      expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
      expect(looksLikeTotpCode(c)).toBe(false);
      expect(hashRecoveryCode(c.toUpperCase().replaceAll('-', ' '))).toBe(hashRecoveryCode(c));
    }
    expect(hashRecoveryCode(codes[0]!)).not.toBe(hashRecoveryCode(codes[1]!));
    expect(looksLikeTotpCode('123 456')).toBe(true);
  });
});
