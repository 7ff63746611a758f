// The private site's pure rules: which paths need a pass, who may get a link, where a link may lead, the throttle.
import { describe, expect, it } from 'vitest';
import {
  gateFor, MAX_LINKS_PER_ADDRESS, MAX_LINKS_PER_CLIENT, mayReceiveLink, READER_LINK_WINDOW_MS, readerLinkWait, safeReaderNext,
} from '../../../src/lib/status/private-site.ts';

describe('gateFor', () => {
  it.each([
    ['/', 'page'], ['/history', 'page'], ['/incidents/x', 'page'], ['/subscribe', 'page'], ['/manage/abc', 'page'], ['/no-such', 'page'],
    ['/api/v2/summary.json', 'machine'], ['/api/v1/incidents.json', 'machine'], ['/api/anything', 'machine'], ['/history.atom', 'machine'],
    ['/badge.svg', 'machine'], ['/maintenance.ics', 'machine'], ['/components/api/history.rss', 'machine'],
    ['/admin', 'open'], ['/admin/login', 'open'], ['/private', 'open'], ['/private/open/abc', 'open'], ['/healthz', 'open'], ['/readyz', 'open'],
    ['/metrics', 'open'], ['/robots.txt', 'open'], ['/favicon.svg', 'open'], ['/_astro/x.css', 'open'], ['/api/webhooks/resend', 'open'],
    ['/api/v1/alerts/webhook', 'open'], ['/api/v1/pages/p/incidents', 'open'], ['/unsubscribe/abc', 'open'],
  ] as const)('%s → %s', (path, gate) => expect(gateFor(path)).toBe(gate));
  it('does not open look-alikes', () => {
    expect(gateFor('/administrator')).toBe('page');
    expect(gateFor('/privately')).toBe('page');
    expect(gateFor('/unsubscribe/abc/more')).toBe('page');
  });
});

describe('mayReceiveLink', () => {
  const allowed = ['example.com', 'kaizen.ai'];
  it('takes exact domains, in any case', () => {
    expect(mayReceiveLink('a@example.com', allowed)).toBe(true);
    expect(mayReceiveLink('A@EXAMPLE.COM', allowed)).toBe(true);
    expect(mayReceiveLink('a@kaizen.ai', allowed)).toBe(true);
  });
  it('refuses subdomains, look-alikes and non-addresses', () => {
    for (const e of ['a@sub.example.com', 'a@example.com.evil.test', 'a@notexample.com', 'example.com', '@example.com', 'a@', 'a@example.org']) {
      expect(mayReceiveLink(e, allowed), e).toBe(false);
    }
    expect(mayReceiveLink('a@example.com', [])).toBe(false);
  });
});

describe('safeReaderNext', () => {
  it('keeps local paths with their query', () => {
    expect(safeReaderNext('/history?component=api')).toBe('/history?component=api');
    expect(safeReaderNext('/de/history')).toBe('/de/history');
  });
  it('sends anything else home', () => {
    for (const n of [null, '', 'https://evil.test/', '//evil.test/x', '/\\evil.test', '/admin', '/admin/users', '/private', '/private/open/x', 'history', '/a\r\nSet-Cookie: x', `/${'a'.repeat(1001)}`]) {
      expect(safeReaderNext(n), String(n)).toBe('/');
    }
  });
});

describe('readerLinkWait', () => {
  const now = 10 * READER_LINK_WINDOW_MS;
  it('allows up to the limits inside the window', () => {
    expect(readerLinkWait(Array(MAX_LINKS_PER_ADDRESS - 1).fill(now - 1000), [], now)).toBe(0);
    expect(readerLinkWait([], Array(MAX_LINKS_PER_CLIENT - 1).fill(now - 1000), now)).toBe(0);
  });
  it('waits until the oldest counted request leaves the window', () => {
    expect(readerLinkWait([now - 60_000, now - 2000, now - 1000], [], now)).toBe((READER_LINK_WINDOW_MS - 60_000) / 1000);
    expect(readerLinkWait([], Array(MAX_LINKS_PER_CLIENT).fill(now - 1000), now)).toBe((READER_LINK_WINDOW_MS - 1000) / 1000);
  });
  it('forgets requests older than the window', () => {
    expect(readerLinkWait(Array(10).fill(now - READER_LINK_WINDOW_MS - 1), Array(50).fill(now - READER_LINK_WINDOW_MS), now)).toBe(0);
  });
});
