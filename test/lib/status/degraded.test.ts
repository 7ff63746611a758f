import { describe, expect, it } from 'vitest';
import { adminBanner, dataAsOf, delayNotice, healthy, isDegraded, NOTICE_AFTER_MS, unsavedMessage, warningHeader } from '../../../src/lib/status/degraded.ts';

const t = Date.parse('2026-07-01T02:12:30Z'); // 03:12 BST in London
const db = { database: { since: t, reason: 'connection refused' }, content: null };

describe('delayNotice', () => {
  it('says nothing while healthy', () => {
    expect(delayNotice(healthy, t + 3_600_000)).toBeNull();
    expect(isDegraded(healthy)).toBe(false);
  });

  it('waits a minute before telling readers, then tells them', () => {
    expect(delayNotice(db, t + NOTICE_AFTER_MS - 1)).toBeNull();
    expect(delayNotice(db, t + NOTICE_AFTER_MS)).toMatch(/^Updates may be delayed/);
  });

  it('counts from the earliest failed part, and honours a shorter setting', () => {
    const both = { database: { since: t + 50_000, reason: 'x' }, content: { since: t, reason: 'y' } };
    expect(delayNotice(both, t + NOTICE_AFTER_MS)).not.toBeNull();
    expect(delayNotice(db, t, 0)).not.toBeNull();
    expect(delayNotice(db, t + 4000, 5000)).toBeNull();
  });
});

describe('dataAsOf', () => {
  it('is now while healthy and the start of the earliest outage otherwise', () => {
    expect(dataAsOf(healthy, t)).toBe(t);
    expect(dataAsOf(db, t + 5000)).toBe(t);
    expect(dataAsOf({ database: { since: t + 50, reason: 'x' }, content: { since: t + 10, reason: 'y' } }, t + 100)).toBe(t + 10);
  });
});

describe('warningHeader', () => {
  it('is absent while healthy and names the failed parts and the moment they failed', () => {
    expect(warningHeader(healthy)).toBeNull();
    expect(warningHeader(db)).toBe('110 - "Response may be stale: database unavailable since 2026-07-01T02:12:30.000Z"');
    expect(warningHeader({ database: null, content: { since: t, reason: '/srv/content does not exist' } })).toBe(
      '110 - "Response may be stale: content unavailable since 2026-07-01T02:12:30.000Z"',
    );
  });

  it('never leaks the internal reason (paths, hosts) to the public', () => {
    expect(warningHeader({ database: { since: t, reason: 'connect ECONNREFUSED 10.0.0.5:5432' }, content: { since: t, reason: '/srv/secret' } })).not.toMatch(/10\.0\.0\.5|secret/);
  });
});

describe('adminBanner', () => {
  it("says since when in the site's zone, why, and that changes are not saved", () => {
    expect(adminBanner(db, t + 60_000, 'Europe/London')).toEqual([
      'Database unreachable since 03:12 BST (connection refused); your changes are not saved. The public page keeps showing the last good data.',
    ]);
  });

  it('gives the date for an outage over a day old, and a line per failed part', () => {
    const both = { database: { since: t, reason: 'the disk is full' }, content: { since: t, reason: '/srv/content does not exist' } };
    const lines = adminBanner(both, t + 2 * 86_400_000, 'UTC');
    expect(lines[0]).toBe('Database unreachable since 1 Jul 2026, 02:12 UTC (the disk is full); your changes are not saved. The public page keeps showing the last good data.');
    expect(lines[1]).toBe('Content folder unavailable since 1 Jul 2026, 02:12 UTC (/srv/content does not exist); the site serves the last good copy of the content files.');
  });

  it('is empty while healthy', () => {
    expect(adminBanner(healthy, t, 'UTC')).toEqual([]);
  });
});

describe('unsavedMessage', () => {
  it('tells the admin nothing was saved and that what they typed is kept', () => {
    expect(unsavedMessage(db, t + 1000, 'Europe/London')).toBe(
      'Database unreachable since 03:12 BST; your changes are not saved. Everything you typed is still below: submit again once the database answers.',
    );
  });
});
