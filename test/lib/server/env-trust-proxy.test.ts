// TRUST_PROXY: parsed at start, a bad value stops start-up naming it.
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../src/lib/server/env.ts';

describe('TRUST_PROXY', () => {
  it('is absent (trust nothing) unless set', () => {
    expect(parseEnv({}).TRUST_PROXY).toBeUndefined();
    expect(parseEnv({ TRUST_PROXY: 'none' }).TRUST_PROXY).toEqual({ kind: 'none' });
  });

  it('takes a hop count or a list of addresses and ranges', () => {
    expect(parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toEqual({ kind: 'hops', hops: 1 });
    expect(parseEnv({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8, ::1' }).TRUST_PROXY).toEqual({
      kind: 'list',
      ranges: [
        { family: 'ipv4', address: '127.0.0.1', prefix: 32 },
        { family: 'ipv4', address: '10.0.0.0', prefix: 8 },
        { family: 'ipv6', address: '::1', prefix: 128 },
      ],
    });
  });

  it.each([
    ['true', /TRUST_PROXY: trusting every address would let any client choose its own/],
    ['proxy.internal', /TRUST_PROXY: "proxy.internal" is not an IP address or CIDR range; expected none, a number of proxies/],
    ['10.0.0.0/40', /TRUST_PROXY: "10.0.0.0\/40": the prefix must be between 0 and 32/],
  ])('refuses %j with a message naming it', (value, message) => {
    expect(() => parseEnv({ TRUST_PROXY: value })).toThrow(EnvError);
    expect(() => parseEnv({ TRUST_PROXY: value })).toThrow(message);
  });
});
