// Who sent a request: the socket's address, or behind trusted proxies the X-Forwarded-For entry they vouch for.
// Pure: the parsed TRUST_PROXY setting in, an address out (no I/O; node:net only parses and matches addresses).
import net from 'node:net';

/** An address range from TRUST_PROXY: one address is a range of prefix 32 (IPv4) or 128 (IPv6). */
export interface IpRange {
  family: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
}

/** TRUST_PROXY parsed: trust nothing, the nearest `hops` proxies, or the proxies at these addresses. */
export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'list'; ranges: readonly IpRange[] };

export const TRUST_NOTHING: TrustProxy = { kind: 'none' };
const MAX_HOPS = 10;

/** The address in a socket's or a proxy's notation (brackets, port, zone, IPv4-mapped IPv6) as plain IPv4 or lower-case IPv6; null if it is none. */
export function normalizeAddress(raw: string): string | null {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  a = a.replace(/%[\w.-]+$/, '').toLowerCase();
  const family = net.isIP(a);
  if (family === 4) return a;
  if (family !== 6) return null;
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (dotted && net.isIPv4(dotted[1]!)) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return a;
}

function parseRange(entry: string): IpRange | string {
  const [addressPart, prefixPart, extra] = entry.split('/');
  const plain = (addressPart ?? '').trim();
  const address = net.isIP(plain) === 0 ? null : normalizeAddress(plain);
  if (address === null || extra !== undefined) return `"${entry}" is not an IP address or CIDR range`;
  const family = net.isIPv4(address) ? 'ipv4' : 'ipv6';
  const max = family === 'ipv4' ? 32 : 128;
  if (prefixPart === undefined) return { family, address, prefix: max };
  if (!/^\d{1,3}$/.test(prefixPart)) return `"${entry}": the prefix after / must be a number`;
  let prefix = Number(prefixPart);
  // An IPv4-mapped IPv6 range (::ffff:10.0.0.0/104) is the IPv4 range it maps.
  if (family === 'ipv4' && net.isIPv6(plain)) prefix -= 96;
  if (prefix < 0 || prefix > max) return `"${entry}": the prefix must be between 0 and ${max}`;
  return { family, address, prefix };
}

/** Parses TRUST_PROXY (unset/none: nothing; 1–10: that many hops; else a comma-separated list of addresses/CIDRs); a string is the problem. */
export function parseTrustProxy(value: string): TrustProxy | string {
  const v = value.trim();
  if (v === '' || /^(none|false|0)$/i.test(v)) return TRUST_NOTHING;
  if (/^(true|all|\*|yes)$/i.test(v)) {
    return 'trusting every address would let any client choose its own; give the number of proxies in front (e.g. 1) or their addresses (e.g. 127.0.0.1, 10.0.0.0/8)';
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= MAX_HOPS ? { kind: 'hops', hops } : `must be at most ${MAX_HOPS} proxies, or a list of addresses`;
  }
  const ranges: IpRange[] = [];
  for (const entry of v.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const r = parseRange(entry);
    if (typeof r === 'string') return `${r}; expected none, a number of proxies (e.g. 1) or addresses/CIDRs (e.g. 127.0.0.1, ::1, 10.0.0.0/8)`;
    ranges.push(r);
  }
  return { kind: 'list', ranges };
}

const blockLists = new WeakMap<readonly IpRange[], net.BlockList>();

function inRanges(address: string, ranges: readonly IpRange[]): boolean {
  let list = blockLists.get(ranges);
  if (!list) {
    list = new net.BlockList();
    for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
    blockLists.set(ranges, list);
  }
  return list.check(address, net.isIPv4(address) ? 'ipv4' : 'ipv6');
}

/** X-Forwarded-For's entries, left (farthest) to right (nearest), from one header or several. */
function forwardedEntries(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = typeof header === 'string' ? header : header.join(',');
  return joined.trim() === '' ? [] : joined.split(',');
}

/**
 * The client's address: X-Forwarded-For read from the right, starting at the socket, skipping each hop that is
 * trusted; the first untrusted one is the client. With nothing trusted it is the socket's address whatever the
 * headers say. A malformed entry stops the walk at the last well-formed hop (a proxy never writes one).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | readonly string[] | undefined, trust: TrustProxy): string {
  const socket = (socketAddress !== undefined ? normalizeAddress(socketAddress) : null) ?? 'unknown';
  if (trust.kind === 'none' || socket === 'unknown') return socket;
  const chain = forwardedEntries(forwardedFor);
  let client = socket;
  for (let hop = 0; ; hop++) {
    const trusted = trust.kind === 'hops' ? hop < trust.hops : inRanges(client, trust.ranges);
    if (!trusted) return client;
    const next = chain.pop();
    const address = next === undefined ? null : normalizeAddress(next);
    if (address === null) return client;
    client = address;
  }
}
