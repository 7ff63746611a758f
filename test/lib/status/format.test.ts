import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDayKey, formatLongDayKey, formatMonthKey, formatTime } from '../../../src/lib/status/format.ts';

const winter = Date.parse('2026-11-20T10:05:00Z');
const summer = Date.parse('2026-07-01T10:05:00Z');

describe('formatDateTime / formatTime show the wall clock and zone abbreviation of the site', () => {
  it.each<[string, number, string, string]>([
    ['Europe/London', winter, '20 Nov 2026, 10:05 GMT', '10:05 GMT'],
    ['Europe/London', summer, '1 Jul 2026, 11:05 BST', '11:05 BST'],
    ['America/Los_Angeles', winter, '20 Nov 2026, 02:05 PST', '02:05 PST'],
    ['America/Los_Angeles', summer, '1 Jul 2026, 03:05 PDT', '03:05 PDT'],
    ['Asia/Kolkata', winter, '20 Nov 2026, 15:35 IST', '15:35 IST'],
    ['UTC', winter, '20 Nov 2026, 10:05 UTC', '10:05 UTC'],
  ])('%s at %d', (zone, instant, dateTime, time) => {
    expect(formatDateTime(instant, zone)).toBe(dateTime);
    expect(formatTime(instant, zone)).toBe(time);
  });

  it('an instant late in the UTC evening falls on the next day in a zone east of UTC', () => {
    expect(formatDateTime(Date.parse('2026-11-20T20:00:00Z'), 'Asia/Kolkata')).toBe('21 Nov 2026, 01:30 IST');
  });
});

describe('day and month keys are calendar dates, never shifted by a zone', () => {
  it.each<[string, string, string]>([
    ['2026-11-20', '20 Nov 2026', 'Friday 20 November 2026'],
    ['2026-01-01', '1 Jan 2026', 'Thursday 1 January 2026'],
    ['2026-12-31', '31 Dec 2026', 'Thursday 31 December 2026'],
  ])('%s', (key, short, long) => {
    expect(formatDayKey(key)).toBe(short);
    expect(formatLongDayKey(key)).toBe(long);
  });

  it.each([['2026-11', 'November 2026'], ['2027-01', 'January 2027']])('month %s → %s', (key, expected) => {
    expect(formatMonthKey(key)).toBe(expected);
  });
});
