// API key rules that need no database: scopes, the Authorization header, the per-key rate window.
import { describe, expect, it } from 'vitest';
import { keyFromAuthorization, parseScopes } from '../../../../src/lib/server/apikeys/api-keys.ts';
import { takeKeyRequest } from '../../../../src/lib/server/apikeys/key-rate-limit.ts';
import { allowed } from '../../../../src/lib/server/api/manage/manage-route.ts';

describe('keyFromAuthorization', () => {
  it.each([
    ['OAuth kz_abc', 'kz_abc'],
    ['Bearer kz_abc', 'kz_abc'],
    ['oauth kz_abc ', 'kz_abc'],
    ['Basic a2V5Og==', null],
    ['', null],
    [null, null],
  ])('%j → %j', (header, key) => expect(keyFromAuthorization(header)).toBe(key));
});

describe('parseScopes', () => {
  it('reads a comma list in a fixed order', () => expect(parseScopes('components, incidents')).toEqual(['incidents', 'components']));
  it('names an unknown scope', () => expect(() => parseScopes('incidents,admin')).toThrow("Unknown scope 'admin'"));
  it('needs one', () => expect(() => parseScopes('')).toThrow('at least one scope'));
});

describe('allowed', () => {
  it.each([
    [['read'], 'incidents', false, true],
    [['read'], 'incidents', true, false],
    [['incidents'], 'incidents', true, true],
    [['incidents'], 'components', false, false],
    [['components'], 'components', true, true],
  ] as const)('%j on %s (write %s) → %s', (scopes, scope, write, out) => expect(allowed({ scopes: [...scopes] }, { scope, write })).toBe(out));
});

describe('takeKeyRequest', () => {
  it('allows the limit per minute, then says how many seconds to wait', () => {
    const t0 = 1_800_000_000_000; // a whole minute
    expect(takeKeyRequest('k1', 2, t0)).toBeNull();
    expect(takeKeyRequest('k1', 2, t0 + 1000)).toBeNull();
    expect(takeKeyRequest('k1', 2, t0 + 15_000)).toBe(45);
    expect(takeKeyRequest('k2', 2, t0 + 15_000)).toBeNull();
    expect(takeKeyRequest('k1', 2, t0 + 60_000)).toBeNull();
  });
});
