// How Resend's answers are read: which errors retry, after how long, and which email each returned id belongs to.
import { describe, expect, it } from 'vitest';
import { classifyError, pairIds, retryAfterMs } from '../../../../src/lib/server/email/resend-client.ts';
import { csvCell } from '../../../../src/lib/server/subscribers/subscriber-admin.ts';

const now = Date.parse('2026-11-20T10:00:00Z');

describe('classifyError', () => {
  it.each<[number | null, string, string]>([
    [429, 'rate_limit_exceeded', 'rate_limited'],
    [500, 'internal_server_error', 'retryable'],
    [503, 'application_error', 'retryable'],
    [null, 'application_error', 'retryable'],
    [409, 'concurrent_idempotent_requests', 'retryable'],
    [409, 'invalid_idempotent_request', 'rejected'],
    [400, 'validation_error', 'rejected'],
    [422, 'validation_error', 'rejected'],
    [401, 'missing_api_key', 'rejected'],
    [403, 'invalid_from_address', 'rejected'],
  ])('%s %s → %s', (statusCode, name, kind) => {
    const outcome = classifyError({ statusCode, name, message: 'm' }, { 'retry-after': '2' }, now);
    expect(outcome.ok ? 'ok' : outcome.kind).toBe(kind);
  });

  it('keeps Resend\'s message for a refusal, and waits retry-after (seconds or a date) after a 429', () => {
    expect(classifyError({ statusCode: 422, name: 'validation_error', message: 'Invalid `to` field.' }, null, now)).toEqual({ ok: false, kind: 'rejected', error: 'Invalid `to` field.' });
    expect(classifyError({ statusCode: 429, name: 'rate_limit_exceeded', message: 'slow down' }, { 'retry-after': '2' }, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000 });
    expect(retryAfterMs(new Date(now + 5000).toUTCString(), now, 1000)).toBe(5000);
    expect(retryAfterMs(undefined, now, 1000)).toBe(1000);
    expect(retryAfterMs('soon', now, 1000)).toBe(1000);
    expect(classifyError({ statusCode: 429, name: 'daily_quota_exceeded', message: 'quota' }, null, now)).toMatchObject({ retryAfterMs: 3_600_000 });
  });
});

describe('pairIds', () => {
  it('gives the returned ids to the accepted emails in order, null to the refused ones', () => {
    expect(pairIds(4, [{ id: 'a' }, { id: 'b' }], [{ index: 1, message: 'x' }, { index: 3, message: 'y' }])).toEqual(['a', null, 'b', null]);
    expect(pairIds(2, [{ id: 'a' }, { id: 'b' }], [])).toEqual(['a', 'b']);
  });
});

describe('csvCell', () => {
  it('quotes when needed and never lets a spreadsheet run a cell as a formula', () => {
    expect(csvCell('ann@example.com')).toBe('ann@example.com');
    expect(csvCell('Public API, Dashboard')).toBe('"Public API, Dashboard"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});
