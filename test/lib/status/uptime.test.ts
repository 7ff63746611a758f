import { describe, expect, it } from 'vitest';
import { dayBounds } from '../../../src/lib/status/time.ts';
import {
  dayStat,
  describeDay,
  formatUptime,
  windowUptime,
  type DayWindow,
  type OutageInterval,
} from '../../../src/lib/status/uptime.ts';
import type { ComponentStatus } from '../../../src/lib/status/vocabulary.ts';

const MIN = 60_000;
const at = (iso: string): number => Date.parse(iso);
const window = (day: string, timeZone = 'UTC'): DayWindow => ({ day, ...dayBounds(day, timeZone) });
const outage = (start: string, end: string, status: ComponentStatus, incidentId: string | null = 'inc-1'): OutageInterval =>
  ({ start: at(start), end: at(end), status, incidentId });

// A "now" well after the days under test, unless a test is about today.
const later = at('2026-12-31T12:00:00Z');
const nov20 = window('2026-11-20');

describe('dayStat: the 003 formula on a full 1,440-minute day', () => {
  it('144 minutes of major outage → 0.9', () => {
    const s = dayStat(nov20, [outage('2026-11-20T10:00:00Z', '2026-11-20T12:24:00Z', 'major_outage')], [], later);
    expect(s.windowMs).toBe(1440 * MIN);
    expect(s.uptime).toBeCloseTo(0.9, 12);
    expect(s.worst).toBe('major_outage');
    expect(s.worstMs).toBe(144 * MIN);
    expect(s.incidentIds).toEqual(['inc-1']);
  });

  it('100 minutes of partial outage weigh 0.3 → 1 − 30/1440', () => {
    const s = dayStat(nov20, [outage('2026-11-20T08:00:00Z', '2026-11-20T09:40:00Z', 'partial_outage')], [], later);
    expect(s.uptime).toBeCloseTo(1 - 30 / 1440, 12);
    expect(s.downMs).toBeCloseTo(30 * MIN, 6);
    expect(s.worst).toBe('partial_outage');
  });

  it('degraded performance is not downtime, but is the worst status of the day', () => {
    const s = dayStat(nov20, [outage('2026-11-20T08:00:00Z', '2026-11-20T10:00:00Z', 'degraded_performance')], [], later);
    expect(s.uptime).toBe(1);
    expect(s.worst).toBe('degraded_performance');
    expect(s.worstMs).toBe(120 * MIN);
  });

  it('maintenance is not downtime, but shows as under_maintenance', () => {
    const s = dayStat(nov20, [], [{ start: at('2026-11-20T02:00:00Z'), end: at('2026-11-20T03:30:00Z') }], later);
    expect(s.uptime).toBe(1);
    expect(s.worst).toBe('under_maintenance');
    expect(s.worstMs).toBe(90 * MIN);
  });

  it('an outage during maintenance still counts in full', () => {
    const s = dayStat(nov20, [outage('2026-11-20T02:00:00Z', '2026-11-20T02:36:00Z', 'major_outage')],
      [{ start: at('2026-11-20T01:00:00Z'), end: at('2026-11-20T04:00:00Z') }], later);
    expect(s.uptime).toBeCloseTo(1 - 36 / 1440, 12);
    expect(s.msByStatus).toEqual({ major_outage: 36 * MIN, under_maintenance: 144 * MIN });
  });

  it('overlapping major and partial outages count the overlap once, as major', () => {
    const s = dayStat(nov20, [
      outage('2026-11-20T10:00:00Z', '2026-11-20T11:00:00Z', 'major_outage', 'inc-a'),
      outage('2026-11-20T10:30:00Z', '2026-11-20T12:00:00Z', 'partial_outage', 'inc-b'),
    ], [], later);
    expect(s.msByStatus).toEqual({ major_outage: 60 * MIN, partial_outage: 60 * MIN });
    expect(s.uptime).toBeCloseTo(1 - (60 + 0.3 * 60) / 1440, 12);
    expect(s.incidentIds.sort()).toEqual(['inc-a', 'inc-b']);
  });

  it('two overlapping major outages are not double-counted', () => {
    const s = dayStat(nov20, [
      outage('2026-11-20T10:00:00Z', '2026-11-20T11:00:00Z', 'major_outage', 'inc-a'),
      outage('2026-11-20T10:30:00Z', '2026-11-20T11:30:00Z', 'major_outage', 'inc-b'),
    ], [], later);
    expect(s.worstMs).toBe(90 * MIN);
    expect(s.uptime).toBeCloseTo(1 - 90 / 1440, 12);
  });

  it('an outage outside the day does not touch it', () => {
    const s = dayStat(nov20, [outage('2026-11-19T10:00:00Z', '2026-11-19T11:00:00Z', 'major_outage')], [], later);
    expect(s).toMatchObject({ uptime: 1, worst: 'operational', worstMs: 0, incidentIds: [] });
  });
});

describe('dayStat at midnight, DST and today', () => {
  it('UTC: an outage 23:00–01:00 is split one hour to each day', () => {
    const o = [outage('2026-11-20T23:00:00Z', '2026-11-21T01:00:00Z', 'major_outage')];
    const a = dayStat(nov20, o, [], later);
    const b = dayStat(window('2026-11-21'), o, [], later);
    expect([a.worstMs, b.worstMs]).toEqual([60 * MIN, 60 * MIN]);
    expect(a.uptime).toBeCloseTo(1 - 60 / 1440, 12);
    expect(b.uptime).toBeCloseTo(1 - 60 / 1440, 12);
    expect([a.incidentIds, b.incidentIds]).toEqual([['inc-1'], ['inc-1']]);
  });

  it('Europe/London in BST: local midnight is 23:00Z, so 22:00Z–00:30Z splits 60 / 90 minutes', () => {
    const o = [outage('2026-07-01T22:00:00Z', '2026-07-02T00:30:00Z', 'major_outage')];
    const jul1 = window('2026-07-01', 'Europe/London');
    const jul2 = window('2026-07-02', 'Europe/London');
    expect(jul1.end).toBe(at('2026-07-01T23:00:00Z'));
    const a = dayStat(jul1, o, [], later);
    const b = dayStat(jul2, o, [], later);
    expect([a.worstMs, b.worstMs]).toEqual([60 * MIN, 90 * MIN]);
    expect(b.uptime).toBeCloseTo(1 - 90 / 1440, 12);
  });

  it('the 25-hour day (London, 25 Oct 2026) divides by 1,500 minutes', () => {
    const day = window('2026-10-25', 'Europe/London');
    const s = dayStat(day, [outage('2026-10-25T10:00:00Z', '2026-10-25T12:30:00Z', 'major_outage')], [], later);
    expect(s.windowMs).toBe(1500 * MIN);
    expect(s.uptime).toBeCloseTo(1 - 150 / 1500, 12);
  });

  it('the 23-hour day (New York, 8 Mar 2026) divides by 1,380 minutes', () => {
    const day = window('2026-03-08', 'America/New_York');
    const s = dayStat(day, [outage('2026-03-08T12:00:00Z', '2026-03-08T14:18:00Z', 'major_outage')], [], later);
    expect(s.windowMs).toBe(1380 * MIN);
    expect(s.uptime).toBeCloseTo(0.9, 12);
  });

  it('today counts only the elapsed minutes', () => {
    const now = at('2026-11-20T12:00:00Z');
    // Still open: the interval reaches past now and must be clipped to it.
    const s = dayStat(nov20, [outage('2026-11-20T10:48:00Z', '2026-11-20T18:00:00Z', 'major_outage')], [], now);
    expect(s.windowMs).toBe(720 * MIN);
    expect(s.worstMs).toBe(72 * MIN);
    expect(s.uptime).toBeCloseTo(0.9, 12);
  });

  it('a day that has not started yet has no uptime', () => {
    const now = at('2026-11-20T12:00:00Z');
    const s = dayStat(window('2026-11-21'), [outage('2026-11-21T01:00:00Z', '2026-11-21T02:00:00Z', 'major_outage')], [], now);
    expect(s.uptime).toBeNull();
    expect(s.windowMs).toBe(0);
    expect(describeDay(s)).toBe('21 Nov 2026: no data yet');
  });
});

describe('windowUptime', () => {
  it('weights by minutes counted, not the mean of the daily figures', () => {
    const now = at('2026-11-20T12:00:00Z');
    const yesterday = dayStat(window('2026-11-19'), [outage('2026-11-19T00:00:00Z', '2026-11-19T02:24:00Z', 'major_outage')], [], now);
    const today = dayStat(nov20, [], [], now);
    expect([yesterday.uptime, today.uptime]).toEqual([expect.closeTo(0.9, 12), 1]);
    const w = windowUptime([yesterday, today])!;
    expect(w).toBeCloseTo(1 - 144 / (1440 + 720), 12);
    expect(w).not.toBeCloseTo(0.95, 3);
  });

  it('ignores days in the future and is null when nothing has elapsed', () => {
    const now = at('2026-11-20T00:00:00Z');
    const future = dayStat(window('2026-11-21'), [], [], now);
    expect(windowUptime([future])).toBeNull();
    expect(windowUptime([])).toBeNull();
    const past = dayStat(window('2026-11-19'), [outage('2026-11-19T00:00:00Z', '2026-11-19T02:24:00Z', 'major_outage')], [], now);
    expect(windowUptime([past, future])).toBeCloseTo(0.9, 12);
  });
});

describe('describeDay', () => {
  it.each<[string, OutageInterval[], { start: number; end: number }[], string]>([
    ['no outage', [], [], '20 Nov 2026: no downtime recorded'],
    ['partial outage of 73 min, one incident',
      [outage('2026-11-20T10:00:00Z', '2026-11-20T11:13:00Z', 'partial_outage')], [],
      '20 Nov 2026: partial outage for 1 h 13 min, 1 incident'],
    ['two incidents, the worst status named',
      [outage('2026-11-20T10:00:00Z', '2026-11-20T11:00:00Z', 'major_outage', 'a'),
        outage('2026-11-20T13:00:00Z', '2026-11-20T15:00:00Z', 'degraded_performance', 'b')], [],
      '20 Nov 2026: major outage for 1 h, 2 incidents'],
    ['degraded performance', [outage('2026-11-20T10:00:00Z', '2026-11-20T10:45:00Z', 'degraded_performance')], [],
      '20 Nov 2026: degraded performance for 45 min, 1 incident'],
    ['maintenance only', [], [{ start: at('2026-11-20T02:00:00Z'), end: at('2026-11-20T04:00:00Z') }],
      '20 Nov 2026: under maintenance for 2 h'],
    ['outage set by hand, without incident', [outage('2026-11-20T10:00:00Z', '2026-11-20T10:30:00Z', 'major_outage', null)], [],
      '20 Nov 2026: major outage for 30 min'],
  ])('%s', (_name, outages, maint, expected) => {
    expect(describeDay(dayStat(nov20, outages, maint, later))).toBe(expected);
  });
});

describe('formatUptime', () => {
  it.each<[number | null, string]>([
    [null, '—'],
    [1, '100.00%'],
    [0.99999, '99.99%'],
    [1 - 1e-9, '99.99%'],
    [0.9995, '99.95%'],
    [0.99949, '99.94%'],
    [0.9, '90.00%'],
    [0, '0.00%'],
    [0.57, '57.00%'],
  ])('%s → %s', (u, expected) => {
    expect(formatUptime(u)).toBe(expected);
  });

  it('one minute of partial outage in a 90-day window never reads 100.00%', () => {
    const u = 1 - (0.3 * MIN) / (90 * 1440 * MIN);
    expect(formatUptime(u)).toBe('99.99%');
  });

  it('a day with exactly 10% uptime (1,296 minutes of major outage) reads 10.00%', () => {
    const s = dayStat(nov20, [outage('2026-11-20T00:00:00Z', '2026-11-20T21:36:00Z', 'major_outage')], [], later);
    expect(formatUptime(s.uptime)).toBe('10.00%');
  });
});
