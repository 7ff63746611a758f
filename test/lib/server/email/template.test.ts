// The stakeholder email, field by field, filled from an incident with an injected clock.
import { describe, expect, it } from 'vitest';
import { confirmationEmailData, incidentEmailData, maintenanceEmailData, postmortemEmailData, stakeholderStatus, type SiteForEmail } from '../../../../src/lib/server/email/compose.ts';
import { linksFor } from '../../../../src/lib/server/email/email-data.ts';
import { renderEmail } from '../../../../src/lib/server/email/template.ts';
import type { Component, Incident, IncidentUpdate, Maintenance } from '../../../../src/lib/status/types.ts';

const t = (hhmm: string): number => Date.parse(`2026-11-20T${hhmm}:00Z`);
const component = (id: string, name: string): Component => ({ id, name, description: null, baseline: 'operational', groupId: null, position: 0 });
const ctx: SiteForEmail = {
  site: { name: 'Kaizen AI', url: 'https://status.kaizen.example', description: '', timezone: 'Europe/London', supportUrl: null, emailSignature: 'Engineering Team', showReliability: false },
  components: [component('inference', 'Inference API'), component('dashboard', 'Dashboard')],
  baseUrl: 'https://status.kaizen.example',
};
const links = linksFor(ctx.baseUrl, 'tok123');

function incident(updates: IncidentUpdate[]): Incident {
  return {
    id: '2026-11-20-api-errors', source: 'admin', title: 'Elevated error rates on the Inference API', severity: 'P1', impactOverride: null,
    components: { inference: 'major_outage', dashboard: 'degraded_performance' }, startedAt: null, detectedAt: null, acknowledgedAt: null,
    mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates,
  };
}
const investigating: IncidentUpdate = { id: 'u1', at: t('10:05'), status: 'investigating', message: 'We are investigating reports of elevated error rates.\nUpdates will be provided every 15 minutes.', components: null };
const identified: IncidentUpdate = { id: 'u2', at: t('10:30'), status: 'identified', message: 'We have identified the cause as a bad deploy.\nWorking on mitigation. ETA: 11:00 GMT', components: { inference: 'partial_outage' } };
const resolved: IncidentUpdate = { id: 'u3', at: t('11:15'), status: 'resolved', message: 'Issue has been resolved. All systems operational.', components: null };

describe('incident email (the runbook stakeholder template)', () => {
  const render = (u: IncidentUpdate, all: IncidentUpdate[]) => renderEmail(incidentEmailData(ctx, incident(all), u), links);

  it('has the subject "[P1] Production Incident - <site name>"', () => {
    expect(render(investigating, [investigating]).subject).toBe('[P1] Production Incident - Kaizen AI');
  });

  it('lists Severity, Status, Impact and ETA in the runbook order, then Details with the next update time and the signature', () => {
    const { text } = render(investigating, [investigating]);
    expect(text).toMatch(/^Severity: P1\nStatus: Investigating\nImpact: Inference API: Major outage\nDashboard: Degraded performance\nETA: Unknown\n\nDetails:\n/);
    expect(text).toContain('Elevated error rates on the Inference API\n\nWe are investigating reports of elevated error rates.\nUpdates will be provided every 15 minutes.');
    expect(text).toContain('Next update: 20 Nov 2026, 10:20 GMT');
    expect(text.indexOf('Next update')).toBeLessThan(text.indexOf('Engineering Team'));
    expect(text).toContain('Incident page: https://status.kaizen.example/incidents/2026-11-20-api-errors');
  });

  it('maps statuses: investigating → Investigating, identified and monitoring → Mitigating, resolved → Resolved', () => {
    expect(stakeholderStatus('investigating')).toBe('Investigating');
    expect(stakeholderStatus('identified')).toBe('Mitigating');
    expect(stakeholderStatus('monitoring')).toBe('Mitigating');
    expect(stakeholderStatus('resolved')).toBe('Resolved');
  });

  it('takes the ETA from the update and the impact from the statuses in force at that update', () => {
    const { text } = render(identified, [identified, investigating]);
    expect(text).toContain('Status: Mitigating');
    expect(text).toContain('ETA: 11:00 GMT');
    expect(text).toContain('Impact: Inference API: Partial outage\n');
    expect(text).toContain('Next update: 20 Nov 2026, 10:45 GMT');
  });

  it('on resolution: Resolved, components back to operational, no next update', () => {
    const { text } = render(resolved, [resolved, identified, investigating]);
    expect(text).toContain('Status: Resolved');
    expect(text).toContain('Inference API: Operational (was partial outage)');
    expect(text).not.toContain('Next update');
  });

  it('carries personal manage and unsubscribe links, and the RFC 8058 headers', () => {
    const e = render(investigating, [investigating]);
    expect(e.text).toContain('Manage your subscription: https://status.kaizen.example/manage/tok123');
    expect(e.text).toContain('Unsubscribe: https://status.kaizen.example/unsubscribe/tok123');
    expect(e.html).toContain('href="https://status.kaizen.example/manage/tok123"');
    expect(e.html).toContain('href="https://status.kaizen.example/unsubscribe/tok123"');
    expect(e.headers).toEqual({
      'List-Unsubscribe': '<https://status.kaizen.example/unsubscribe/tok123>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('renders HTML with inline styles, a dark variant and every field', () => {
    const { html } = render(identified, [identified, investigating]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toMatch(/<table[^>]*class="k-card"[^>]*style="[^"]*background-color:#ffffff/);
    for (const s of ['Severity:', 'P1', 'Status:', 'Mitigating', 'Impact:', 'ETA:', '11:00 GMT', 'Details:', 'Engineering Team', 'https://status.kaizen.example/incidents/2026-11-20-api-errors']) expect(html).toContain(s);
  });

  it('escapes whatever the incident says (an XSS payload stays text)', () => {
    const evil = { ...investigating, message: '<script>alert(1)</script> & <img src=x onerror=alert(2)>' };
    const data = incidentEmailData(ctx, { ...incident([evil]), title: '"><svg onload=alert(3)>' }, evil);
    const { html, text } = renderEmail(data, links);
    expect(html).not.toMatch(/<script|<img|<svg/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;');
    expect(text).toContain('<script>alert(1)</script>');
  });
});

describe('other emails', () => {
  it('maintenance: scheduled and started, with the window in the site zone', () => {
    const m: Maintenance = { id: 'db', source: 'file', title: 'Database upgrade', components: ['inference'], scheduledStart: t('02:00'), scheduledEnd: t('04:00'), updates: [], body: 'Jobs will queue.' };
    const scheduled = renderEmail(maintenanceEmailData(ctx, m, 'scheduled'), links);
    expect(scheduled.subject).toBe('[Scheduled maintenance] Database upgrade - Kaizen AI');
    expect(scheduled.text).toContain('Window: 20 Nov 2026, 02:00 GMT to 20 Nov 2026, 04:00 GMT');
    expect(scheduled.text).toContain('Components: Inference API');
    expect(scheduled.text).toContain('Jobs will queue.');
    expect(renderEmail(maintenanceEmailData(ctx, m, 'started'), links).subject).toBe('[Maintenance started] Database upgrade - Kaizen AI');
  });

  it('post-mortem: severity in the subject, summary and link', () => {
    const e = renderEmail(postmortemEmailData(ctx, incident([]), { id: 'pm', title: 'Expired certificate', body: '## Summary\n\nA certificate expired.\n\n## Timeline' }), links);
    expect(e.subject).toBe('[P1] Post-mortem published - Kaizen AI');
    expect(e.text).toContain('A certificate expired.');
    expect(e.text).toContain('https://status.kaizen.example/postmortems/pm');
  });

  it('confirmation: the confirm link, valid 7 days, and what was chosen', () => {
    const e = renderEmail(confirmationEmailData(ctx, 'confirmation', ['dashboard']), links);
    expect(e.subject).toBe('Confirm your subscription - Kaizen AI');
    expect(e.text).toContain('Confirm subscription: https://status.kaizen.example/subscribe/confirm/tok123');
    expect(e.text).toContain('for Dashboard');
    expect(e.text).toContain('valid for 7 days');
    expect(renderEmail(confirmationEmailData(ctx, 'already_subscribed', null), links).text).toContain('(to every component)');
  });
});
