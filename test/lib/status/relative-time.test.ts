import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../../src/lib/status/relative-time.ts';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const MIN = 60_000;

describe('relativeTime', () => {
  it.each<[number, string]>([
    [0, 'now'],
    [-59_000, 'now'],
    [-12 * MIN, '12 min ago'],
    [-3 * 60 * MIN, '3 hr ago'],
    [-26 * 60 * MIN, '1 day ago'],
    [-10 * 1440 * MIN, '10 days ago'],
    [-40 * 1440 * MIN, '1 mo ago'],
    [-400 * 1440 * MIN, '1 yr ago'],
    [2 * 60 * MIN, 'in 2 hr'],
  ])('%i ms from now reads "%s" in English', (offset, text) => {
    expect(relativeTime(NOW + offset, NOW, 'en-GB')).toBe(text);
  });

  it('speaks the reader’s language', () => {
    expect(relativeTime(NOW - 12 * MIN, NOW, 'de-DE')).toBe('vor 12 Min.');
    expect(relativeTime(NOW - 12 * MIN, NOW, 'ja-JP')).toBe('12 分前');
  });
});
