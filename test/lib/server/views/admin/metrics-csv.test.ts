import { describe, expect, it } from 'vitest';
import { csvField } from '../../../../../src/lib/server/views/admin/metrics-csv.ts';
import { parseMetricsQuery } from '../../../../../src/lib/server/views/admin/metrics.view.ts';

describe('parseMetricsQuery', () => {
  it.each<[string, ReturnType<typeof parseMetricsQuery>]>([
    ['', { days: 90, severity: 'all' }],
    ['window=30', { days: 30, severity: 'all' }],
    ['window=365&severity=P0', { days: 365, severity: 'P0' }],
    ['window=&severity=', { days: 90, severity: 'all' }],
    ['window=7', null],
    ['window=90.0', null],
    ['severity=p1', null],
  ])('?%s', (qs, expected) => {
    expect(parseMetricsQuery(new URLSearchParams(qs))).toEqual(expected);
  });
});

describe('csvField', () => {
  it.each<[string, string]>([
    ['API errors', 'API errors'],
    ['Errors, timeouts', '"Errors, timeouts"'],
    ['The "edge" proxy', '"The ""edge"" proxy"'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://evil.test")', `"'=HYPERLINK(""http://evil.test"")"`],
    ['+1 errors', "'+1 errors"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['', ''],
  ])('%j → %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});
