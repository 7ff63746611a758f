import { describe, expect, it } from 'vitest';
import { postedNotice, postedQuery } from '../../../../src/lib/server/incidents/posted-notice.ts';

const notice = (query: string, severity = 'P1', key = true): string | null => postedNotice(new URLSearchParams(query), severity, key);

describe('after a post', () => {
  it('carries who was emailed through the redirect', () => {
    expect(postedQuery({ emailed: 1234 }, 'auto')).toBe('posted=1&emailed=1234');
    expect(postedQuery({ skipped: 'not_requested' }, 'auto')).toBe('posted=1&email=default');
    expect(postedQuery({ skipped: 'not_requested' }, 'no')).toBe('posted=1&email=chosen_no');
    expect(postedQuery({ skipped: 'already_sent' }, 'yes')).toBe('posted=1&email=already');
  });

  it.each([
    ['posted=1&emailed=1234', 'P1', true, 'Posted. 1,234 subscribers are being emailed.'],
    ['posted=1&emailed=1', 'P1', true, 'Posted. 1 subscriber is being emailed.'],
    ['posted=1&emailed=0', 'P1', true, 'Posted. No confirmed subscriber follows the affected components, so nobody is emailed.'],
    ['posted=1&emailed=12', 'P0', false, 'Posted. 12 subscribers are queued for email, but nothing is sent: RESEND_API_KEY is not set.'],
    ['posted=1&email=default', 'P3', true, 'Posted. Not emailed: the runbook emails stakeholders for P0 and P1, and this is a P3. Choose "Yes, email subscribers" on an update to email them.'],
    ['posted=1&email=chosen_no', 'P1', true, 'Posted. Not emailed, as you chose.'],
    ['posted=1&email=already', 'P1', true, 'Posted. Subscribers were already emailed about this update.'],
  ])('%s (%s, key %s): %s', (query, severity, key, expected) => {
    expect(notice(query, severity, key)).toBe(expected);
  });

  it('says nothing without a post, and nothing odd for a tampered count', () => {
    expect(notice('')).toBeNull();
    expect(notice('posted=1&emailed=lots')).toBe('Posted. It is on the public page now.');
  });
});
