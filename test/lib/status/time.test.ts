import { describe, expect, it } from 'vitest';
import { addDays, dayBounds, dayKey, formatDuration, isValidTimeZone, startOfDay, zoneOffset } from '../../../src/lib/status/time.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const at = (iso: string): number => Date.parse(iso);

describe('dayKey at day boundaries', () => {
  it.each<[string, string, string]>([
    ['UTC', '2026-11-20T23:59:59Z', '2026-11-20'],
    ['UTC', '2026-11-21T00:00:00Z', '2026-11-21'],
    ['UTC', '2026-12-31T23:59:59.999Z', '2026-12-31'],
    ['UTC', '2027-01-01T00:00:00Z', '2027-01-01'],
    // London in winter is GMT (UTC+0)
    ['Europe/London', '2026-11-20T23:59:59Z', '2026-11-20'],
    ['Europe/London', '2026-11-21T00:00:00Z', '2026-11-21'],
    // London in summer is BST (UTC+1): local midnight is 23:00Z
    ['Europe/London', '2026-07-01T22:59:59Z', '2026-07-01'],
    ['Europe/London', '2026-07-01T23:00:00Z', '2026-07-02'],
    // Los Angeles in November is PST (UTC−8): local midnight is 08:00Z
    ['America/Los_Angeles', '2026-11-21T07:59:59Z', '2026-11-20'],
    ['America/Los_Angeles', '2026-11-21T08:00:00Z', '2026-11-21'],
    ['America/Los_Angeles', '2026-11-20T12:00:00Z', '2026-11-20'],
    // Kolkata is UTC+5:30: local midnight is 18:30Z the day before
    ['Asia/Kolkata', '2026-11-20T18:29:59Z', '2026-11-20'],
    ['Asia/Kolkata', '2026-11-20T18:30:00Z', '2026-11-21'],
  ])('%s: %s falls on %s', (zone, iso, expected) => {
    expect(dayKey(at(iso), zone)).toBe(expected);
  });
});

describe('zoneOffset', () => {
  it.each<[string, string, number]>([
    ['Europe/London', '2026-11-20T12:00:00Z', 0],
    ['Europe/London', '2026-07-01T12:00:00Z', 1 * HOUR],
    ['America/Los_Angeles', '2026-11-20T12:00:00Z', -8 * HOUR],
    ['Asia/Kolkata', '2026-11-20T12:00:00Z', 5.5 * HOUR],
  ])('%s at %s is %d ms', (zone, iso, expected) => {
    expect(zoneOffset(at(iso), zone)).toBe(expected);
  });
});

describe('startOfDay / dayBounds', () => {
  it.each<[string, string, string, string, number]>([
    ['UTC', '2026-11-20', '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z', 24],
    ['Europe/London', '2026-11-20', '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z', 24],
    ['Europe/London', '2026-07-01', '2026-06-30T23:00:00Z', '2026-07-01T23:00:00Z', 24],
    ['Asia/Kolkata', '2026-11-20', '2026-11-19T18:30:00Z', '2026-11-20T18:30:00Z', 24],
    // Clocks go forward at 01:00 GMT: the day is 23 hours long
    ['Europe/London', '2026-03-29', '2026-03-29T00:00:00Z', '2026-03-29T23:00:00Z', 23],
    // Clocks go back at 02:00 BST: the day is 25 hours long
    ['Europe/London', '2026-10-25', '2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z', 25],
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 23],
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 25],
  ])('%s %s runs from %s to %s (%d h)', (zone, key, start, end, hours) => {
    expect(startOfDay(key, zone)).toBe(at(start));
    const b = dayBounds(key, zone);
    expect(b).toEqual({ start: at(start), end: at(end) });
    expect((b.end - b.start) / HOUR).toBe(hours);
  });

  it.each([
    ['Europe/London'], ['America/New_York'], ['America/Los_Angeles'], ['Asia/Kolkata'], ['UTC'],
  ])('%s: every day of 2026 starts on its own key and just after the previous one', (zone) => {
    for (let key = '2026-01-01'; key < '2027-01-01'; key = addDays(key, 1)) {
      const start = startOfDay(key, zone);
      expect(dayKey(start, zone)).toBe(key);
      expect(dayKey(start - 1, zone)).toBe(addDays(key, -1));
    }
  });

  // Zones whose clocks jump from 00:00 to 01:00: the day begins at the jump, 23 h before the next midnight.
  it.each<[string, string, string, string]>([
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00Z', '2026-09-07T03:00:00Z'],
    ['America/Havana', '2026-03-08', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'],
  ])('%s %s, when local midnight is skipped, starts at the first instant of that day', (zone, key, start, end) => {
    const b = dayBounds(key, zone);
    expect(dayKey(b.start, zone)).toBe(key);
    expect(dayKey(b.start - 1, zone)).toBe(addDays(key, -1));
    expect(b).toEqual({ start: at(start), end: at(end) });
  });
});

describe('addDays', () => {
  it.each<[string, number, string]>([
    ['2026-11-20', 0, '2026-11-20'],
    ['2026-11-20', 1, '2026-11-21'],
    ['2026-11-30', 1, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-11-20', -89, '2026-08-23'],
    ['2026-10-24', 2, '2026-10-26'],
  ])('%s shifted by %i days is %s', (key, n, expected) => {
    expect(addDays(key, n)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, 'less than a minute'],
    [59_000, 'less than a minute'],
    [1 * MIN, '1 min'],
    [45 * MIN, '45 min'],
    [60 * MIN, '1 h'],
    [73 * MIN, '1 h 13 min'],
    [24 * 60 * MIN, '1 d'],
    [(2 * 24 + 3) * 60 * MIN, '2 d 3 h'],
    [(2 * 24 + 3) * 60 * MIN + 20 * MIN, '2 d 3 h'],
  ])('%d ms reads "%s"', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('isValidTimeZone', () => {
  it.each<[string, boolean]>([
    ['Europe/London', true],
    ['Asia/Kolkata', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%j → %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});
