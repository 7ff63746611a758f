// Emails queued (or kept for preview) by the previous version still render, in today's layout.
import { describe, expect, it } from 'vitest';
import { linksFor, type EmailData } from '../../../../src/lib/server/email/email-data.ts';
import { renderEmail } from '../../../../src/lib/server/email/template.ts';

const baseUrl = 'https://status.kaizen.example';
const links = linksFor(baseUrl, 'tok123');
const ctx = { baseUrl };

describe('emails stored by the previous version', () => {
  const base = { siteName: 'Kaizen AI', signature: 'Engineering Team', baseUrl: ctx.baseUrl };

  it('still render (plain text, no threading headers)', () => {
    const old = { ...base, kind: 'incident', severity: 'P1', status: 'Resolved', title: 'API errors', impact: ['API: Operational'], eta: 'Resolved', message: 'Fixed <b>now</b>.', nextUpdate: null, postedAt: '20 Nov 2026, 11:15 GMT', url: `${ctx.baseUrl}/incidents/x` } as unknown as EmailData;
    const e = renderEmail(old, links);
    expect(e.subject).toBe('[P1] Production Incident - Kaizen AI: API errors');
    expect(e.text).toContain('Resolved at 20 Nov 2026, 11:15 GMT');
    expect(e.text).not.toContain('ETA');
    expect(e.html).toContain('Fixed &lt;b&gt;now&lt;/b&gt;.');
    expect(e.headers['Message-ID']).toBeUndefined();
    const pm = { ...base, kind: 'postmortem', severity: 'P1', title: 'PM', incidentTitle: 'API errors', summary: 'It broke.', url: 'https://x/pm' } as unknown as EmailData;
    expect(renderEmail(pm, links).text).toContain('It broke.');
    const mt = { ...base, kind: 'maintenance', phase: 'scheduled', title: 'DB', window: 'w', components: [], message: 'Queue.', url: 'https://x/m' } as unknown as EmailData;
    expect(renderEmail(mt, links).text).toContain('Queue.');
  });
});
