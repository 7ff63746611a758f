// The on-call engineer's page and the runbook's clock, over HTTP with the fake Resend: the update form first, the
// wording per status, refusals that keep what was typed, who is emailed, corrections, reminders, "Next update by".
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { messageTemplate } from '../../src/lib/status/runbook-templates.ts';
import { adminClient, ADMIN_EMAIL, ADMIN_PASSWORD, type AdminClient } from '../helpers/admin-client.ts';
import { seedSubscribers } from '../helpers/email-db.ts';
import { emailEnv, firstAdmin } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let admin: AdminClient;
const SECOND_ADMIN = 'second@acme.test';
/** A datetime-local value in the fixture's zone (UTC), minutes from now. */
const local = (offsetMinutes = 0): string => new Date(Date.now() + offsetMinutes * MINUTE).toISOString().slice(0, 16);
const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const reminders = (to: string) => fake.deliveredTo(to).filter((e) => /Public update due|Escalate to/.test(e.subject));

async function declare(fields: Record<string, string>): Promise<string> {
  const r = await admin.post('/admin/incidents/new', {
    severity: 'P1', 'component.api': 'partial_outage', notify: 'auto',
    message: 'We are investigating reports of failed checkouts.\nUpdates will be provided every 15 minutes.', ...fields,
  });
  expect(r.status).toBe(303);
  return r.headers.get('location')!;
}
const pathOf = (location: string): string => location.split('?')[0]!;

/** An incident file whose only update was posted `minutesAgo` minutes ago. */
function fileIncident(id: string, o: { title: string; severity: string; minutesAgo: number; detectedMinutesAgo?: number }): void {
  fixture.write(`incidents/${id}.md`, `---
title: ${o.title}
severity: ${o.severity}
components:
  api: degraded_performance
${o.detectedMinutesAgo === undefined ? '' : `detected: ${iso(Date.now() - o.detectedMinutesAgo * MINUTE)}\n`}updates:
  - at: ${iso(Date.now() - o.minutesAgo * MINUTE)}
    status: investigating
    message: We are investigating ${o.title.toLowerCase()}.
---
`);
}

beforeAll(async () => {
  fixture = createFixture(Date.now());
  // Only this file's incidents ring the clock.
  fixture.remove('incidents/open-api-errors.md');
  fixture.remove('maintenance/db-upgrade.md');
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake) });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

describe('the incident page', () => {
  it('puts the update form first, on the incident\'s current status with its runbook wording', async () => {
    const page = pathOf(await declare({ title: 'Checkout failing' }));
    const html = await (await admin.get(page)).text();
    expect(html.indexOf('Post an update')).toBeGreaterThan(0);
    expect(html.indexOf('Post an update')).toBeLessThan(html.indexOf('>Response<'));
    expect(html.indexOf('Post an update')).toBeLessThan(html.indexOf('<strong>Escalation</strong>'));
    expect(html).toMatch(/<option value="investigating" selected>Investigating \(current\)<\/option>/);
    expect(html).toContain(escapeHtml(messageTemplate('investigating')));
    // The escalation path is folded to one line saying what is due.
    expect(html).toMatch(/<details class="card pad escalation"[^>]*><summary><strong>Escalation<\/strong> <span class="hint">Next: Engineering manager at [^<]+ \(1 of 4 told\)|<span class="overdue">Due now/);
  });

  it('without JavaScript, "Show the wording" gives the chosen status\'s wording, keeps a typed message, and saves nothing', async () => {
    const page = pathOf(await declare({ title: 'Search slow' }));
    const untouched = await admin.post(page, { action: 'wording', status: 'monitoring', message: messageTemplate('investigating') });
    expect(untouched.status).toBe(200);
    const a = await untouched.text();
    expect(a).toContain(`>${escapeHtml(messageTemplate('monitoring'))}</textarea>`);
    expect(a).toMatch(/<option value="monitoring" selected>/);
    const typed = await admin.post(page, { action: 'wording', status: 'resolved', message: 'Checkout works again for everyone.' });
    const b = await typed.text();
    expect(b).toContain('>Checkout works again for everyone.</textarea>');
    expect(b).toMatch(/<div class="wording-offer"><p><strong>Runbook wording for Resolved:/);
    expect(b).toContain(escapeHtml(messageTemplate('resolved')));
    const publicPage = await (await server.get(page.replace('/admin', ''))).text();
    expect(publicPage).not.toContain('Checkout works again');
  });

  it('refuses an unchanged template, naming each placeholder, and keeps the message as typed', async () => {
    const page = pathOf(await declare({ title: 'Uploads stuck' }));
    const r = await admin.post(page, { action: 'update', status: 'identified', message: messageTemplate('identified'), notify: 'auto' });
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain('Replace the template placeholders [root cause], [time] before posting');
    expect(html).toContain(`>${escapeHtml(messageTemplate('identified'))}</textarea>`);
    expect(html).toMatch(/<option value="identified" selected>/);
  });

  it('says after a post how many subscribers are being emailed, or why nobody is', async () => {
    const db = openDb(path.join(server.dataDir, 'status.db'));
    await seedSubscribers(db, 3, { prefix: 'all', domain: 'oncall.test' });
    await seedSubscribers(db, 4, { prefix: 'api', domain: 'oncall.test', components: ['api'] });
    await seedSubscribers(db, 5, { prefix: 'dash', domain: 'oncall.test', components: ['dashboard'] });
    await db.destroy();
    const p1 = await declare({ title: 'Payments failing' });
    expect(p1).toMatch(/\?posted=1&emailed=7$/);
    expect(await (await admin.get(p1)).text()).toContain('Posted. 7 subscribers are being emailed.');
    const update = await admin.post(pathOf(p1), { action: 'update', status: 'identified', message: 'The cause is a bad deploy; rolling back now.', notify: 'no' });
    expect(update.headers.get('location')).toMatch(/email=chosen_no$/);
    expect(await (await admin.get(update.headers.get('location')!)).text()).toContain('Posted. Not emailed, as you chose.');
    const p3 = await declare({ title: 'Typo on the pricing page', severity: 'P3' });
    expect(await (await admin.get(p3)).text()).toContain('Posted. Not emailed: the runbook emails stakeholders for P0 and P1, and this is a P3.');
  });
});

describe('corrections', () => {
  it('change the public page, the API and the metrics, with an audit entry per field and no email', async () => {
    const page = pathOf(await declare({ title: 'Slow dashbord', severity: 'P2', 'component.api': '', 'component.dashboard': 'degraded_performance', notify: 'no' }));
    const refused = await admin.post(page, {
      action: 'correct', title: 'Slow dashboard', severity: 'P1', impact: 'critical', 'component.api': 'major_outage',
      detected: local(-30), acknowledged: local(-40), started: local(-45), mitigated: '',
    });
    expect(refused.status).toBe(400);
    const kept = await refused.text();
    expect(kept).toContain('Acknowledged cannot be before detected');
    expect(kept).toContain('value="Slow dashboard"');
    const r = await admin.post(page, {
      action: 'correct', title: 'Slow dashboard', severity: 'P1', impact: 'critical', 'component.api': 'major_outage',
      detected: local(-30), acknowledged: local(-25), started: local(-45), mitigated: '', false_positive: 'on',
    });
    expect(r.status).toBe(303);
    expect(await (await admin.get(r.headers.get('location')!)).text()).toContain('Corrected. The public page, the API and the metrics follow.');
    const id = page.split('/').at(-1)!;
    const publicPage = await (await server.get(`/incidents/${id}`)).text();
    expect(publicPage).toContain('Slow dashboard');
    expect(publicPage).toContain('Critical');
    expect(publicPage).toContain('Severity P1');
    const api = (await (await server.get('/api/v2/incidents.json')).json()) as { incidents: { id: string; name: string; impact: string; components: { id: string }[] }[] };
    const one = api.incidents.find((i) => i.name === 'Slow dashboard')!;
    expect(one.impact).toBe('critical');
    const csv = await (await admin.get('/admin/metrics.csv?window=30')).text();
    const row = csv.split('\n').find((l) => l.startsWith(`${id},`))!;
    expect(row).toContain(',P1,');
    expect(row).toMatch(/,true,/);
    const audit = await (await admin.get('/admin/audit')).text();
    for (const f of ['title: Slow dashbord → Slow dashboard', 'severity: P2 → P1', 'impact: none → critical', 'false_positive: false → true']) expect(audit).toContain(escapeHtml(f));
    expect((audit.match(/incident corrected/g) ?? []).length).toBeGreaterThanOrEqual(7);
    // Corrections are not news: no subscriber is emailed about them (the declaration itself chose no email). The
    // runbook's reminder to admins that the now-P1 is due for escalation may come, and is not news.
    const news = fake.delivered.filter((e) => /Slow dashbo?a?rd/.test(e.text) && !/Public update due|Escalate to/.test(e.subject));
    expect(news).toEqual([]);
  });
});

describe('the runbook\'s clock', () => {
  it('emails every admin with reminders on, once per due time: the update due in two minutes and the escalation step due', async () => {
    // A second admin, who turns reminders off.
    const invited = await (await admin.post('/admin/users', { action: 'invite', email: SECOND_ADMIN, role: 'admin' })).text();
    const link = new URL(/<code>([^<]+\/admin\/reset\?token=[^<]+)<\/code>/.exec(invited)![1]!);
    const second = adminClient(server);
    expect((await second.post(link.pathname + link.search, { password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD })).status).toBe(303);
    expect((await second.post('/admin/account', {})).status).toBe(303);
    expect(await (await second.get('/admin/account?saved=off')).text()).toContain('Reminders are off.');

    // A P1 from content/: detected 31 minutes ago (the engineering manager is due), last update 14 minutes ago.
    fileIncident('queue-backlog', { title: 'Job queue backlog', severity: 'P1', minutesAgo: 14, detectedMinutesAgo: 31 });
    await eventually(async () => expect(reminders(ADMIN_EMAIL).filter((e) => e.text.includes('Job queue backlog'))).toHaveLength(2), 20_000);
    const subjects = reminders(ADMIN_EMAIL).filter((e) => e.text.includes('Job queue backlog')).map((e) => e.subject).sort();
    expect(subjects[0]).toMatch(/^\[P1\] Escalate to Engineering manager now: Job queue backlog$/);
    expect(subjects[1]).toMatch(/^\[P1\] Public update due \d\d:\d\d UTC: Job queue backlog$/);
    expect(reminders(SECOND_ADMIN)).toEqual([]);
    const dashboard = await (await admin.get('/admin')).text();
    expect(dashboard).toContain('Due now');
    expect(dashboard).toContain('Public update due: Job queue backlog');
    expect(dashboard).toContain('Escalate to Engineering manager: Job queue backlog');

    // Restarted on the same database: the ledger remembers, so nothing is sent again; a new due time still rings.
    const dataDir = server.dataDir;
    await server.process.kill('SIGTERM');
    await new Promise((r) => server.process.once('exit', r));
    server = await startServer({ contentDir: fixture.dir, dataDir, env: emailEnv(fake) });
    const signedIn = adminClient(server);
    signedIn.cookie = admin.cookie;
    admin = signedIn;
    fileIncident('cache-misses', { title: 'Cache misses', severity: 'P2', minutesAgo: 14 });
    await eventually(async () => expect(reminders(ADMIN_EMAIL).filter((e) => e.text.includes('Cache misses'))).toHaveLength(1), 20_000);
    expect(reminders(ADMIN_EMAIL).filter((e) => e.text.includes('Job queue backlog'))).toHaveLength(2);
  });
});

describe('the public page', () => {
  it('says "Next update by HH:MM" while the 15-minute promise holds, and not once it is broken', async () => {
    const before = Date.now();
    await declare({ title: 'Login errors' });
    const html = await (await server.get('/')).text();
    const m = /Login errors[\s\S]*?Next update by <time datetime="([^"]+)"[^>]*>(\d\d:\d\d) UTC<\/time>/.exec(html);
    expect(m).not.toBeNull();
    const due = Date.parse(m![1]!);
    expect(due).toBeGreaterThanOrEqual(before + 15 * MINUTE - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 15 * MINUTE);
    fileIncident('stale', { title: 'Stale promise', severity: 'P2', minutesAgo: 20 });
    await eventually(async () => expect(await (await server.get('/')).text()).toContain('Stale promise'), 10_000);
    const stale = await (await server.get('/incidents/stale')).text();
    expect(stale).not.toContain('Next update');
  });
});
