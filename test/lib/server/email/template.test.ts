// The stakeholder email, field by field, filled from an incident with an injected clock.
import { describe, expect, it } from 'vitest';
import { confirmationEmailData, incidentEmailData, maintenanceEmailData, NEXT_UPDATE_MS, postmortemEmailData, type SiteForEmail } from '../../../../src/lib/server/email/compose.ts';
import { linksFor } from '../../../../src/lib/server/email/email-data.ts';
import { renderEmail } from '../../../../src/lib/server/email/template.ts';
import type { Component, Incident, IncidentUpdate, Maintenance } from '../../../../src/lib/status/types.ts';
import { markup } from '../../../fixtures/xss.ts';

const t = (hhmm: string, day = '20'): number => Date.parse(`2026-11-${day}T${hhmm}:00Z`);
const component = (id: string, name: string): Component => ({ id, name, description: null, baseline: 'operational', groupId: null, position: 0 });
const ctx: SiteForEmail = {
  site: { name: 'Kaizen AI', url: 'https://status.kaizen.example', description: '', timezone: 'Europe/London', supportUrl: null, emailSignature: 'Engineering Team', logo: null, showReliability: false },
  components: [component('inference', 'Inference API'), component('dashboard', 'Dashboard')],
  baseUrl: 'https://status.kaizen.example',
};
const links = linksFor(ctx.baseUrl, 'tok123');

function incident(updates: IncidentUpdate[], extra: Partial<Incident> = {}): Incident {
  return {
    id: '2026-11-20-api-errors', source: 'admin', title: 'Elevated error rates on the Inference API', severity: 'P1', impactOverride: null,
    components: { inference: 'major_outage', dashboard: 'degraded_performance' }, startedAt: null, detectedAt: null, acknowledgedAt: null,
    mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates, ...extra,
  };
}
const investigating: IncidentUpdate = { id: 'u1', at: t('10:05'), status: 'investigating', message: 'We are investigating reports of elevated error rates.\nUpdates will be provided every 15 minutes.', components: null };
const identified: IncidentUpdate = { id: 'u2', at: t('10:30'), status: 'identified', message: 'We have identified the cause as a bad deploy.\nWorking on mitigation. ETA: 11:00 GMT', components: { inference: 'partial_outage' } };
const monitoring: IncidentUpdate = { id: 'u3', at: t('10:50'), status: 'monitoring', message: 'A fix has been applied and we are monitoring the results.', components: null };
const resolved: IncidentUpdate = { id: 'u4', at: t('11:15'), status: 'resolved', message: 'Issue has been resolved. All systems operational.', components: null };
const render = (u: IncidentUpdate, all: IncidentUpdate[], extra: Partial<Incident> = {}, now?: number) =>
  renderEmail(incidentEmailData(ctx, incident(all, extra), u, { now }), links);

describe('incident email: the runbook stakeholder template', () => {
  it('keeps the runbook subject prefix exactly, then the incident title', () => {
    expect(render(investigating, [investigating]).subject).toBe('[P1] Production Incident - Kaizen AI: Elevated error rates on the Inference API');
    expect(render(resolved, [resolved, investigating]).subject).toBe('[P1] Production Incident - Kaizen AI: Elevated error rates on the Inference API');
  });

  it('never puts CR or LF in the subject or a header, whatever the title and site name hold (defence in depth)', () => {
    const hostile = { ...ctx, site: { ...ctx.site, name: 'Kaizen\r\nX-Evil: 1' } };
    const e = renderEmail(incidentEmailData(hostile, incident([investigating], { title: 'A\r\nBcc: x@evil.test\u2028more' }), investigating, {}), links);
    expect(e.subject).toBe('[P1] Production Incident - Kaizen X-Evil: 1: A Bcc: x@evil.test more');
    for (const v of Object.values(e.headers)) expect(v).not.toMatch(/[\r\n]/);
  });

  it('opens the text with the preview line, then Severity, Status, Impact and ETA in the runbook order, Details and the signature', () => {
    const { text } = render(investigating, [investigating]);
    expect(text).toMatch(/^Investigating — Elevated error rates on the Inference API\. Next update by 10:20 GMT\.\n\nSeverity: P1\nStatus: Investigating\nImpact: Inference API: Major outage\nDashboard: Degraded performance\nETA: Unknown\n\nDetails:\n/);
    expect(text).toContain('Details:\nElevated error rates on the Inference API\n\nWe are investigating reports of elevated error rates.\nUpdates will be provided every 15 minutes.\n\n');
    expect(text.indexOf('Next update by')).toBeLessThan(text.indexOf('Engineering Team'));
    expect(text).toContain('Incident page: https://status.kaizen.example/incidents/2026-11-20-api-errors');
  });

  it('says when the update was posted (site zone, abbreviation), how long it has been going on, and the next update 15 minutes on', () => {
    const { text } = render(identified, [identified, investigating], { startedAt: t('09:58') });
    expect(text).toContain('Posted 10:30 GMT on 20 Nov 2026\nOngoing for 32 min (since 09:58 GMT)\nNext update by 10:45 GMT');
    expect(NEXT_UPDATE_MS).toBe(15 * 60_000);
    const summer = Date.parse('2026-07-01T09:05:00Z');
    const bst = render({ ...investigating, at: summer }, [{ ...investigating, at: summer }]).text;
    expect(bst).toContain('Posted 10:05 BST on 1 Jul 2026');
    expect(bst).toContain('Next update by 10:20 BST');
  });

  it('counts the duration from impact start, else detection, else the first update', () => {
    expect(render(identified, [identified, investigating], { detectedAt: t('10:00') }).text).toContain('Ongoing for 30 min (since 10:00 GMT)');
    expect(render(identified, [identified, investigating]).text).toContain('Ongoing for 25 min (since 10:05 GMT)');
    expect(render(investigating, [investigating]).text).toContain('Ongoing since 10:05 GMT');
  });

  it('leaves out "Next update by" once that time has passed when the email is written (a late markdown update)', () => {
    expect(render(investigating, [investigating], {}, t('10:19')).text).toContain('Next update by 10:20 GMT');
    const late = render(investigating, [investigating], {}, t('10:20'));
    expect(late.text).not.toContain('Next update');
    expect(late.text).toContain('Posted 10:05 GMT on 20 Nov 2026');
  });

  it('dates the next update when it falls on another day', () => {
    const u = { ...investigating, at: t('23:50') };
    expect(render(u, [u]).text).toContain('Next update by 00:05 GMT on 21 Nov 2026');
  });

  it('shows the runbook status and, where they differ, the page status beside it', () => {
    expect(render(identified, [identified, investigating]).text).toContain('Status: Mitigating — cause identified\n');
    expect(render(monitoring, [monitoring, identified, investigating]).text).toContain('Status: Mitigating — monitoring a fix\n');
    expect(render(investigating, [investigating]).text).toContain('Status: Investigating\n');
    expect(render(resolved, [resolved, investigating]).text).toContain('Status: Resolved\n');
  });

  it('takes the ETA from the update and the impact from the statuses in force at that update', () => {
    const { text } = render(identified, [identified, investigating]);
    expect(text).toContain('ETA: 11:00 GMT');
    expect(text).toContain('Impact: Inference API: Partial outage\nDashboard: Degraded performance\n');
  });

  it('on resolution: "Resolved at HH:MM (lasted …)" in place of the ETA, components back to operational, no next update', () => {
    const { text, html } = render(resolved, [resolved, monitoring, identified, investigating], { startedAt: t('10:03') });
    expect(text).toMatch(/^Resolved — Elevated error rates on the Inference API\n/);
    expect(text).toContain('Status: Resolved\nImpact: Inference API: Operational (was partial outage)\nDashboard: Operational (was degraded performance)\nResolved at 11:15 GMT (lasted 1 h 12 min)\n\nDetails:');
    expect(text).not.toMatch(/ETA|Next update|Ongoing/);
    expect(html).toContain('Resolved at 11:15 GMT (lasted 1 h 12 min)');
    expect(html).not.toContain('ETA');
  });

  it('a second "resolved" note keeps the time the incident was resolved', () => {
    const note = { ...resolved, id: 'u5', at: t('11:40'), message: 'The backlog has drained.' };
    expect(render(note, [note, resolved, investigating]).text).toContain('Resolved at 11:15 GMT (lasted 1 h 10 min)');
  });

  it('renders the update\'s markdown in the HTML part and flattens it in the text part', () => {
    const md = { ...investigating, message: 'We see **5xx errors** on [the API](/components/inference).\n\n- EU first\n- then US' };
    const { html, text } = render(md, [md]);
    expect(html).toContain('<strong>5xx errors</strong>');
    expect(html).toContain('href="https://status.kaizen.example/components/inference"');
    expect(html).toMatch(/<li style="[^"]*"[^>]*>EU first<\/li>/);
    expect(text).toContain('We see 5xx errors on the API (https://status.kaizen.example/components/inference).\n\n- EU first\n- then US');
    expect(text).not.toMatch(/\*\*|\]\(/);
  });

  it('escapes whatever the incident says: an XSS payload never becomes markup', () => {
    const evil = { ...investigating, message: '<script>alert(1)</script> & <img src=x onerror=alert(2)> [x](javascript:alert(3))' };
    const { html, text } = renderEmail(incidentEmailData(ctx, { ...incident([evil]), title: '"><svg onload=alert(3)>' }, evil), links);
    expect(html).not.toMatch(/<(script|svg)\b/i);
    for (const tag of markup(html)) {
      for (const [attr, value] of tag.attrs) {
        expect(attr).not.toMatch(/^on/);
        expect(value).not.toMatch(/javascript:/i);
      }
    }
    expect(html).toContain('&quot;&gt;&lt;svg onload=alert(3)&gt;');
    expect(text).not.toContain('<script');
  });

  it('has a hidden preheader that starts with the status', () => {
    const html = render(identified, [identified, investigating]).html;
    expect(html).toMatch(/<div style="display:none;[^"]*">Mitigating — cause identified: Elevated error rates on the Inference API\. Next update by 10:45 GMT\./);
    expect(render(resolved, [resolved, investigating]).html).toMatch(/<div style="display:none;[^"]*">Resolved — Elevated error rates on the Inference API&#8199;/);
  });

  it('lists several updates in one email, oldest first, each with its time and status', () => {
    const data = incidentEmailData(ctx, incident([identified, investigating]), identified, { carried: [identified, investigating] });
    const { text, html } = renderEmail(data, links);
    const first = text.indexOf('10:05 GMT · Investigating\n\nWe are investigating');
    const second = text.indexOf('10:30 GMT · Mitigating — cause identified\n\nWe have identified');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(text).toContain('Status: Mitigating — cause identified');
    expect(html).toContain('10:05 GMT · Investigating');
  });
});

describe('threading', () => {
  const headers = (u: IncidentUpdate, all: IncidentUpdate[], id = '2026-11-20-api-errors', token = 'tok123') =>
    renderEmail(incidentEmailData(ctx, { ...incident(all), id }, u), linksFor(ctx.baseUrl, token)).headers;
  const root = '<incident-2026-11-20-api-errors@status.kaizen.example>';

  it('the opening email takes the incident\'s root Message-ID; later ones reply to it with their own', () => {
    expect(headers(investigating, [investigating])).toMatchObject({ 'Message-ID': root });
    expect(headers(investigating, [investigating])['In-Reply-To']).toBeUndefined();
    const later = headers(identified, [identified, investigating]);
    expect(later['In-Reply-To']).toBe(root);
    expect(later.References).toBe(root);
    expect(later['Message-ID']).toMatch(/^<incident-2026-11-20-api-errors\.[0-9a-f]{24}@status\.kaizen\.example>$/);
  });

  it('every copy and every email has its own Message-ID; another incident has another root', () => {
    const ids = [headers(identified, [identified, investigating]), headers(identified, [identified, investigating], undefined, 'other'), headers(resolved, [resolved, investigating])]
      .map((h) => h['Message-ID']);
    expect(new Set(ids).size).toBe(3);
    expect(headers(identified, [identified, investigating], 'other-incident')['In-Reply-To']).toBe('<incident-other-incident@status.kaizen.example>');
  });

  it('keeps the one-click unsubscribe headers', () => {
    expect(headers(investigating, [investigating])).toMatchObject({
      'List-Unsubscribe': '<https://status.kaizen.example/unsubscribe/tok123>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});

describe('every email', () => {
  it('carries personal manage and unsubscribe links', () => {
    const e = render(investigating, [investigating]);
    expect(e.text).toContain('Manage your subscription: https://status.kaizen.example/manage/tok123');
    expect(e.text).toContain('Unsubscribe: https://status.kaizen.example/unsubscribe/tok123');
    expect(e.html).toContain('href="https://status.kaizen.example/manage/tok123"');
    expect(e.html).toContain('href="https://status.kaizen.example/unsubscribe/tok123"');
  });

  it('renders HTML with inline styles, a dark variant, the brand header and every field', () => {
    const { html } = render(identified, [identified, investigating]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toMatch(/<table[^>]*class="k-card"[^>]*style="[^"]*background-color:#ffffff/);
    expect(html).toMatch(/<a class="k-text" href="https:\/\/status\.kaizen\.example"[^>]*>Kaizen AI<\/a>/);
    expect(html).not.toContain('<img');
    for (const s of ['Severity:', 'P1', 'Status:', 'Mitigating — cause identified', 'Impact:', 'ETA:', '11:00 GMT', 'Details:', 'Engineering Team', 'https://status.kaizen.example/incidents/2026-11-20-api-errors']) expect(html).toContain(s);
  });

  it('shows site.yaml\'s logo, relative to the site URL, on a plate that stays light in dark mode', () => {
    const withLogo = { ...ctx, site: { ...ctx.site, logo: '/brand/logo.png' } };
    const { html } = renderEmail(incidentEmailData(withLogo, incident([investigating]), investigating), links);
    expect(html).toMatch(/<div style="background-color:#ffffff;[^"]*"><img src="https:\/\/status\.kaizen\.example\/brand\/logo\.png" alt=""/);
    const absolute = { ...ctx, site: { ...ctx.site, logo: 'https://cdn.kaizen.example/l.png' } };
    expect(renderEmail(confirmationEmailData(absolute, 'confirmation', null), links).html).toContain('src="https://cdn.kaizen.example/l.png"');
  });
});

describe('other emails', () => {
  const m: Maintenance = { id: 'db', source: 'file', title: 'Database upgrade', components: ['inference'], scheduledStart: t('02:00'), scheduledEnd: t('04:00'), updates: [], body: 'Jobs **will queue**.' };

  it('maintenance: one subject per window for both phases, the window in the site zone, the body rendered, one thread', () => {
    const scheduled = renderEmail(maintenanceEmailData(ctx, m, 'scheduled'), links);
    const started = renderEmail(maintenanceEmailData(ctx, m, 'started'), links);
    expect(scheduled.subject).toBe('Scheduled maintenance - Kaizen AI: Database upgrade');
    expect(started.subject).toBe(scheduled.subject);
    expect(scheduled.text).toMatch(/^Scheduled — Database upgrade, 20 Nov 2026, 02:00 GMT to 20 Nov 2026, 04:00 GMT\n/);
    expect(started.text).toMatch(/^In progress — Database upgrade/);
    expect(scheduled.text).toContain('Window: 20 Nov 2026, 02:00 GMT to 20 Nov 2026, 04:00 GMT');
    expect(scheduled.text).toContain('Components: Inference API');
    expect(scheduled.text).toContain('Jobs will queue.');
    expect(scheduled.html).toContain('<strong>will queue</strong>');
    expect(scheduled.headers['Message-ID']).toBe('<maintenance-db@status.kaizen.example>');
    expect(started.headers['In-Reply-To']).toBe('<maintenance-db@status.kaizen.example>');
  });

  it('post-mortem: the incident in the subject, the rendered Summary and Impact, in the incident\'s thread', () => {
    const body = '## Summary\n- **Date**: 2026-11-20\n- **Duration**: 1 h 12 min\n\n## Timeline\n- 10:05 - Event occurred\n\n## Root Cause\nA bad deploy.\n\n## Impact\n- Users affected: **1,200**\n- Downtime: 72 minutes\n';
    const e = renderEmail(postmortemEmailData(ctx, incident([]), { id: 'pm', title: 'Incident Post-Mortem: 2026-11-20 - API errors', body }), links);
    expect(e.subject).toBe('[P1] Post-mortem published - Kaizen AI: Elevated error rates on the Inference API');
    expect(e.text).toMatch(/^Post-mortem published — Elevated error rates on the Inference API\n/);
    expect(e.html).toMatch(/<h2 [^>]*>Summary<\/h2>/);
    expect(e.html).toContain('<strong>Date</strong>: 2026-11-20');
    expect(e.html).toMatch(/<h2 [^>]*>Impact<\/h2>/);
    expect(e.html).not.toContain('Event occurred');
    expect(e.html).not.toContain('A bad deploy');
    expect(e.text).toContain('Summary\n\n- Date: 2026-11-20\n- Duration: 1 h 12 min\n\nImpact\n\n- Users affected: 1,200\n- Downtime: 72 minutes');
    expect(e.text).toContain('https://status.kaizen.example/postmortems/pm');
    expect(e.headers['In-Reply-To']).toBe('<incident-2026-11-20-api-errors@status.kaizen.example>');
  });

  it('post-mortem without the template\'s sections: its first paragraph', () => {
    const e = renderEmail(postmortemEmailData(ctx, incident([]), { id: 'pm', title: 'PM', body: '# Title\n\nA certificate **expired**.\n\nMore.' }), links);
    expect(e.html).toContain('A certificate <strong>expired</strong>.');
    expect(e.text).not.toContain('More.');
  });

  it('confirmation: the confirm link, valid 7 days, and what was chosen', () => {
    const e = renderEmail(confirmationEmailData(ctx, 'confirmation', ['dashboard']), links);
    expect(e.subject).toBe('Confirm your subscription - Kaizen AI');
    expect(e.text).toContain('Confirm subscription: https://status.kaizen.example/subscribe/confirm/tok123');
    expect(e.text).toContain('for Dashboard');
    expect(e.text).toContain('valid for 7 days');
    expect(e.headers['Message-ID']).toBeUndefined();
    expect(renderEmail(confirmationEmailData(ctx, 'already_subscribed', null), links).text).toContain('(to every component)');
  });
});
