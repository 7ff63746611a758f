// The client address behind proxies: X-Forwarded-For read from the right, skipping only trusted hops.
import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress, parseTrustProxy, type TrustProxy } from '../../../../src/lib/server/http/client-address.ts';

const trust = (v: string): TrustProxy => {
  const t = parseTrustProxy(v);
  if (typeof t === 'string') throw new Error(t);
  return t;
};

describe('parseTrustProxy', () => {
  it.each<[string, TrustProxy]>([
    ['', { kind: 'none' }],
    ['none', { kind: 'none' }],
    ['false', { kind: 'none' }],
    ['0', { kind: 'none' }],
    ['1', { kind: 'hops', hops: 1 }],
    [' 2 ', { kind: 'hops', hops: 2 }],
    ['127.0.0.1', { kind: 'list', ranges: [{ family: 'ipv4', address: '127.0.0.1', prefix: 32 }] }],
    ['127.0.0.1, ::1', { kind: 'list', ranges: [{ family: 'ipv4', address: '127.0.0.1', prefix: 32 }, { family: 'ipv6', address: '::1', prefix: 128 }] }],
    ['10.0.0.0/8,fd00::/8', { kind: 'list', ranges: [{ family: 'ipv4', address: '10.0.0.0', prefix: 8 }, { family: 'ipv6', address: 'fd00::', prefix: 8 }] }],
    ['::ffff:10.0.0.0/104', { kind: 'list', ranges: [{ family: 'ipv4', address: '10.0.0.0', prefix: 8 }] }],
    ['::FFFF:192.168.1.7', { kind: 'list', ranges: [{ family: 'ipv4', address: '192.168.1.7', prefix: 32 }] }],
  ])('%j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });

  it.each([
    ['true', /trusting every address/],
    ['*', /trusting every address/],
    ['11', /at most 10/],
    ['proxy.internal', /"proxy.internal" is not an IP address/],
    ['10.0.0.0/33', /prefix must be between 0 and 32/],
    ['fd00::/129', /prefix must be between 0 and 128/],
    ['10.0.0.0/x', /prefix after \/ must be a number/],
    ['10.0.0.0/8/8', /not an IP address/],
    ['127.0.0.1:80', /not an IP address/],
    ['[::1]', /not an IP address/],
  ])('refuses %j', (value, message) => {
    const r = parseTrustProxy(value);
    expect(typeof r).toBe('string');
    expect(r).toMatch(message);
  });
});

describe('normalizeAddress', () => {
  it.each<[string, string | null]>([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['0:0:0:0:0:ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['2001:DB8::1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['unknown', null],
    ['', null],
    ['203.0.113.300', null],
    ['<script>', null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });
});

describe('clientAddress', () => {
  const none = trust('none');
  const oneHop = trust('1');
  const twoHops = trust('2');
  const loopback = trust('127.0.0.1, ::1');
  const internal = trust('127.0.0.0/8, 10.0.0.0/8, fd00::/8');

  it.each<[string, string | undefined, string | string[] | undefined, TrustProxy, string]>([
    // Trusting nothing: the socket, whatever the headers say.
    ['no proxy, no header', '198.51.100.4', undefined, none, '198.51.100.4'],
    ['no proxy, a forged header', '198.51.100.4', '1.2.3.4', none, '198.51.100.4'],
    ['IPv4-mapped socket', '::ffff:198.51.100.4', '1.2.3.4', none, '198.51.100.4'],
    ['socket gone', undefined, '1.2.3.4', oneHop, 'unknown'],
    // One hop: the proxy's own entry, the rightmost.
    ['one proxy', '127.0.0.1', '198.51.100.4', oneHop, '198.51.100.4'],
    ['one proxy, the client forged an entry', '127.0.0.1', '1.2.3.4, 198.51.100.4', oneHop, '198.51.100.4'],
    ['one proxy, no header (its own health check)', '127.0.0.1', undefined, oneHop, '127.0.0.1'],
    ['two proxies', '10.0.0.2', '1.2.3.4, 198.51.100.4, 10.0.0.9', twoHops, '198.51.100.4'],
    ['two hops trusted, only one entry', '10.0.0.2', '198.51.100.4', twoHops, '198.51.100.4'],
    ['several headers count as one list', '127.0.0.1', ['1.2.3.4', '198.51.100.4'], oneHop, '198.51.100.4'],
    // A list: only those addresses are skipped.
    ['trusted proxy', '127.0.0.1', '198.51.100.4', loopback, '198.51.100.4'],
    ['trusted proxy over IPv6', '::1', '2001:db8::7', loopback, '2001:db8::7'],
    ['trusted proxy, IPv4-mapped socket', '::ffff:127.0.0.1', '198.51.100.4', loopback, '198.51.100.4'],
    ['untrusted socket: its header is ignored', '198.51.100.9', '1.2.3.4', loopback, '198.51.100.9'],
    ['forged entry left of the real one', '127.0.0.1', '1.2.3.4, 198.51.100.4', loopback, '198.51.100.4'],
    ['chain of trusted hops', '127.0.0.1', '198.51.100.4, 10.1.2.3, fd00::5', internal, '198.51.100.4'],
    ['a client inside a trusted range forging further left', '127.0.0.1', '1.2.3.4, 10.1.2.3', trust('127.0.0.1'), '10.1.2.3'],
    ['every hop trusted: the farthest', '127.0.0.1', '10.0.0.3, 10.0.0.4', internal, '10.0.0.3'],
    ['entries with ports and brackets', '127.0.0.1', '[2001:db8::7]:51000', loopback, '2001:db8::7'],
    ['entry with an IPv4 port', '127.0.0.1', '198.51.100.4:51000', loopback, '198.51.100.4'],
    // Malformed entries never become the address: the walk stops at the last good hop.
    ['garbage where the client should be', '127.0.0.1', 'unknown', loopback, '127.0.0.1'],
    ['garbage further left is not reached', '127.0.0.1', 'garbage, 198.51.100.4', loopback, '198.51.100.4'],
    ['an empty entry', '127.0.0.1', '198.51.100.4, ', loopback, '127.0.0.1'],
    ['an empty header', '127.0.0.1', '', loopback, '127.0.0.1'],
  ])('%s', (_name, socket, header, t, expected) => {
    expect(clientAddress(socket, header, t)).toBe(expected);
  });
});

describe('the app', () => {
  it("never reads Astro's clientAddress (the node adapter takes X-Forwarded-For's first entry when the host is allowed)", async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '../../../../src');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.(ts|astro)$/.test(f) && !f.endsWith('.d.ts'));
    const readers = files.filter((f) => /\b(Astro|context)\.clientAddress\b/.test(readFileSync(path.join(root, f), 'utf8')));
    // The middleware's fallback for a bundle served without src/cli/start.ts is the only one.
    expect(readers).toEqual(['middleware.ts']);
  });
});
