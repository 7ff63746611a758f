// The SSRF guard: every private, loopback and link-local form refused, IPv4, IPv6 and mapped; public ones allowed.
import { describe, expect, it } from 'vitest';
import { checkOutgoingUrl, guardedLookup, isPrivateAddress } from '../../../../src/lib/server/channels/ssrf-guard.ts';
import { sendChannelMessage } from '../../../../src/lib/server/channels/channel-delivery.ts';
import { startReceiver } from '../../../helpers/channel-receiver.ts';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254',
    '0:0:0:0:0:ffff:10.0.0.1', 'ff02::1',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));
});

describe('checkOutgoingUrl', () => {
  it.each([
    ['http://127.0.0.1:9/x', 'private'], ['http://[::1]/x', 'private'], ['http://[::ffff:127.0.0.1]/x', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'private'], ['http://localhost/x', 'private'], ['ftp://example.com/x', 'https'],
    ['https://user:pw@example.com/x', 'user name'], ['not a url', 'not a URL'],
  ])('refuses %s', async (url, reason) => {
    const r = await checkOutgoingUrl(url, false);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('refuses a private address again when the connection looks the name up (DNS rebinding)', async () => {
    for (const all of [false, true]) {
      const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup('localhost', { all }, (e) => resolve(e)));
      expect(err?.code).toBe('EPRIVATEADDRESS');
    }
  });

  it('allows private addresses with ALLOW_PRIVATE_WEBHOOKS', async () => {
    expect((await checkOutgoingUrl('http://127.0.0.1:9/x', true)).ok).toBe(true);
  });

  it('re-checks at send time and follows no redirect', async () => {
    const rx = await startReceiver();
    try {
      rx.route('/slack', { vendor: 'slack' });
      const refused = await sendChannelMessage({ url: rx.url('/slack'), body: { text: 'x', blocks: [] }, messageId: 'm1', signingSecret: null, allowPrivate: false, now: 0 });
      expect(refused).toMatchObject({ ok: false, retryable: false });
      expect(rx.deliveries()).toHaveLength(0);
      rx.route('/moved', { vendor: 'slack', redirectTo: '/slack' });
      const moved = await sendChannelMessage({ url: rx.url('/moved'), body: { text: 'x', blocks: [] }, messageId: 'm2', signingSecret: null, allowPrivate: true, now: 0 });
      expect(moved).toMatchObject({ ok: false });
      expect(rx.deliveries().map((d) => d.path)).toEqual(['/moved']);
    } finally {
      await rx.close();
    }
  });
});
