// The email settings: RESEND_API_KEY, EMAIL_FROM, RESEND_RATE_LIMIT, RESEND_WEBHOOK_SECRET.
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../src/lib/server/env.ts';

const message = (source: Record<string, string>): string => {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('email settings', () => {
  it('works without any of them: no key, 2 requests per second', () => {
    const s = parseEnv({});
    expect(s.RESEND_API_KEY).toBeUndefined();
    expect(s.EMAIL_FROM).toBeUndefined();
    expect(s.RESEND_RATE_LIMIT).toBe(2);
    expect(s.RESEND_WEBHOOK_SECRET).toBeUndefined();
  });

  it('reads them all', () => {
    expect(parseEnv({ RESEND_API_KEY: 're_123', EMAIL_FROM: 'Kaizen Status <status@example.com>', RESEND_RATE_LIMIT: '10', RESEND_WEBHOOK_SECRET: 'whsec_abc' })).toMatchObject({
      RESEND_API_KEY: 're_123', EMAIL_FROM: 'Kaizen Status <status@example.com>', RESEND_RATE_LIMIT: 10, RESEND_WEBHOOK_SECRET: 'whsec_abc',
    });
    expect(parseEnv({ EMAIL_FROM: 'status@example.com', RESEND_RATE_LIMIT: '0.5' })).toMatchObject({ EMAIL_FROM: 'status@example.com', RESEND_RATE_LIMIT: 0.5 });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a key without EMAIL_FROM', { RESEND_API_KEY: 're_123' }, /EMAIL_FROM: is required when RESEND_API_KEY is set/],
    ['an EMAIL_FROM that is not an address', { EMAIL_FROM: 'Kaizen Status' }, /EMAIL_FROM: must be an address/],
    ['a rate of zero', { RESEND_RATE_LIMIT: '0' }, /RESEND_RATE_LIMIT: must be a number of requests per second above 0/],
    ['a rate that is not a number', { RESEND_RATE_LIMIT: 'fast' }, /RESEND_RATE_LIMIT: must be a number/],
  ])('refuses %s, naming it', (_name, source, reason) => {
    expect(message(source)).toMatch(reason);
  });
});
