// What the admin is told after a post: carried through the redirect as query parameters, worded on the page.
import type { NotifyOutcome } from '../email/notifications.ts';

type Choice = 'auto' | 'yes' | 'no';

/** The query string that follows a successful post ("posted=1&emailed=1234", "posted=1&email=default" …). */
export function postedQuery(outcome: NotifyOutcome, choice: Choice): string {
  if ('emailed' in outcome) return `posted=1&emailed=${outcome.emailed}`;
  if (outcome.skipped === 'already_sent') return 'posted=1&email=already';
  return `posted=1&email=${choice === 'no' ? 'chosen_no' : 'default'}`;
}

/**
 * The notice: "Posted. 1,234 subscribers are being emailed." or why nobody is (the runbook's P0/P1 default, the
 * choice made, no subscribers, no API key). null when the query is not a post's.
 */
export function postedNotice(params: URLSearchParams, severity: string, hasApiKey: boolean): string | null {
  if (params.get('posted') !== '1') return null;
  const emailed = params.get('emailed');
  const email = params.get('email');
  if (emailed !== null) {
    const n = Number(emailed);
    if (!Number.isFinite(n) || n < 0) return 'Posted. It is on the public page now.';
    if (n === 0) return 'Posted. No confirmed subscriber follows the affected components, so nobody is emailed.';
    const who = `${n.toLocaleString('en-GB')} subscriber${n === 1 ? ' is' : 's are'}`;
    return hasApiKey ? `Posted. ${who} being emailed.` : `Posted. ${who} queued for email, but nothing is sent: RESEND_API_KEY is not set.`;
  }
  if (email === 'default') return `Posted. Not emailed: the runbook emails stakeholders for P0 and P1, and this is a ${severity}. Choose "Yes, email subscribers" on an update to email them.`;
  if (email === 'chosen_no') return 'Posted. Not emailed, as you chose.';
  if (email === 'already') return 'Posted. Subscribers were already emailed about this update.';
  return 'Posted. It is on the public page now.';
}
