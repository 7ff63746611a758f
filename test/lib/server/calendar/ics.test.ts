import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, formatUtc, writeCalendar } from '../../../../src/lib/server/calendar/ics.ts';

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and every kind of newline (RFC 5545 §3.3.11)', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('plain: colons stay')).toBe('plain: colons stay');
  });
});

describe('formatUtc', () => {
  it('writes a UTC DATE-TIME to the second', () => {
    expect(formatUtc(Date.UTC(2026, 10, 20, 9, 5, 7, 999))).toBe('20261120T090507Z');
  });
});

describe('foldLine', () => {
  it('leaves a line of 75 octets alone and folds the 76th onto a continuation line', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
  });

  it('keeps every physical line within 75 octets, a leading space included, and never splits a character', () => {
    const text = `DESCRIPTION:${'Größe 日本語 😀 '.repeat(40)}`;
    const folded = foldLine(text);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(line).not.toContain('\uFFFD');
    }
    expect(lines.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(text);
  });
});

describe('writeCalendar', () => {
  it('writes CRLF lines, one VEVENT per event, ending with CRLF', () => {
    const out = writeCalendar({
      productId: '-//Test//EN',
      name: 'Maintenance, all',
      events: [{ uid: 'm-1@x', stamp: 0, start: 3_600_000, end: 7_200_000, summary: 'A; B', description: 'one\ntwo', url: 'https://x/m', status: 'CONFIRMED' }],
    });
    expect(out.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(out).toContain('\r\nX-WR-CALNAME:Maintenance\\, all\r\n');
    expect(out).toContain('\r\nDTSTART:19700101T010000Z\r\nDTEND:19700101T020000Z\r\n');
    expect(out).toContain('\r\nSUMMARY:A\\; B\r\nDESCRIPTION:one\\ntwo\r\n');
    expect(out.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });
});
