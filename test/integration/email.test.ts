// Subscriptions and incident emails end to end: the built server, its worker, and a fake Resend on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../helpers/admin-client.ts';
import { ADMIN_EMAIL } from '../helpers/admin-client.ts';
import { emailEnv, firstAdmin, linkPath, outboxIdle, postForm, query, signedWebhook } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeEmail, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let admin: AdminClient;
let incidentPath = '';
const local = (offsetMinutes = 0): string => new Date(Date.now() + offsetMinutes * 60_000).toISOString().slice(0, 16);
const incidentEmails = (to: string): FakeEmail[] => fake.deliveredTo(to).filter((e) => e.subject.includes('Production Incident'));
const stateOf = (email: string): string | undefined => query<{ state: string }>(server, 'select state from subscriber where email = ?', email)[0]?.state;

/** Subscribes through the public form, then confirms through the emailed link. */
async function subscribeAndConfirm(email: string, components: string[]): Promise<void> {
  const r = await postForm(server, '/subscribe', [['email', email], ...components.map((c): [string, string] => ['components', c])]);
  expect(r.status).toBe(200);
  await eventually(async () => expect(fake.deliveredTo(email)).toHaveLength(1), 30_000);
  const confirm = linkPath(fake.deliveredTo(email)[0]!, '/subscribe/confirm/');
  expect((await postForm(server, confirm, [])).status).toBe(200);
  expect(stateOf(email)).toBe('confirmed');
}

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake) });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

describe('subscribing', () => {
  it('offers the form on / and /subscribe, with a honeypot and the components on /subscribe', async () => {
    const home = await (await server.get('/')).text();
    expect(home).toMatch(/<form method="post" action="\/subscribe" class="subscribe-form" data-live-origin="https:\/\/status\.acme\.test">/);
    expect(home).toContain('name="website"');
    const page = await (await server.get('/subscribe')).text();
    expect(page).toMatch(/<input id="subscribe-c-api" type="checkbox" name="components" value="api"/);
    expect(page).toContain('Dashboard');
  });

  it('confirms by double opt-in: the emailed link shows a button, and only its POST confirms', async () => {
    const r = await postForm(server, '/subscribe', [['email', 'Alice@Example.com'], ['components', 'api']]);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('Check your inbox');
    await eventually(async () => expect(fake.deliveredTo('alice@example.com')).toHaveLength(1), 30_000);
    const mail = fake.deliveredTo('alice@example.com')[0]!;
    expect(mail.subject).toBe('Confirm your subscription - Acme Cloud');
    expect(stateOf('alice@example.com')).toBe('pending');
    const confirm = linkPath(mail, '/subscribe/confirm/');
    const page = await server.get(confirm);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Confirm subscription</button>');
    expect(stateOf('alice@example.com')).toBe('pending');
    expect((await postForm(server, confirm, [], { origin: null })).status).toBe(403);
    const done = await postForm(server, confirm, []);
    expect(await done.text()).toContain('You are subscribed');
    expect(stateOf('alice@example.com')).toBe('confirmed');
    expect((await server.get('/subscribe/confirm/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
  });

  it('gives the same public answer whether or not the address was already subscribed, and one confirmation per 10 minutes', async () => {
    const answer = async (email: string): Promise<[number, string]> => {
      const r = await postForm(server, '/subscribe', [['email', email]]);
      return [r.status, await r.text()];
    };
    const fresh = await answer('bob@example.com');
    const again = await answer('bob@example.com');
    const confirmed = await answer('alice@example.com');
    expect(again).toEqual(fresh);
    expect(confirmed).toEqual(fresh);
    await outboxIdle(server);
    expect(fake.deliveredTo('bob@example.com')).toHaveLength(1);
    expect(fake.deliveredTo('alice@example.com')).toHaveLength(1);
    expect(stateOf('alice@example.com')).toBe('confirmed');
  });

  it('refuses a bad address with a field error, and silently drops what fills the honeypot', async () => {
    const bad = await postForm(server, '/subscribe', [['email', 'not-an-address']]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter an email address like name@example.com');
    const bot = await postForm(server, '/subscribe', [['email', 'bot@example.com'], ['website', 'http://spam.example']]);
    expect(bot.status).toBe(200);
    expect(await bot.text()).toContain('Check your inbox');
    await outboxIdle(server);
    expect(fake.deliveredTo('bot@example.com')).toHaveLength(0);
    expect(stateOf('bot@example.com')).toBeUndefined();
  });
});

describe('incident emails', () => {
  it('a P1 update reaches exactly the confirmed subscribers of the affected components, once each', async () => {
    await subscribeAndConfirm('carol@example.com', []);
    await subscribeAndConfirm('dave@example.com', ['dashboard']);
    expect((await postForm(server, '/subscribe', [['email', 'erin@example.com'], ['components', 'api']])).status).toBe(200);
    const r = await admin.post('/admin/incidents/new', {
      title: 'Checkout failing', severity: 'P1', 'component.api': 'major_outage', detected: local(-10),
      message: 'We are investigating reports of failed checkouts.\nUpdates will be provided every 15 minutes.', notify: 'auto',
    });
    expect(r.status).toBe(303);
    incidentPath = r.headers.get('location')!.replace(/\?.*/, '');
    await eventually(async () => {
      expect(incidentEmails('alice@example.com')).toHaveLength(1);
      expect(incidentEmails('carol@example.com')).toHaveLength(1);
    }, 30_000);
    const update = await admin.post(incidentPath, { action: 'update', status: 'identified', message: 'We have identified the cause as a full disk.\nWorking on mitigation. ETA: 20 minutes' });
    expect(update.status).toBe(303);
    await eventually(async () => expect(incidentEmails('carol@example.com')).toHaveLength(2), 30_000);
    await outboxIdle(server);
    expect(incidentEmails('alice@example.com')).toHaveLength(2);
    expect(incidentEmails('carol@example.com')).toHaveLength(2);
    expect(incidentEmails('dave@example.com')).toHaveLength(0);
    expect(fake.deliveredTo('erin@example.com').map((e) => e.subject)).toEqual(['Confirm your subscription - Acme Cloud']);
  });

  it('fills the runbook template from the incident, with personal links and the one-click headers', () => {
    const [first, second] = incidentEmails('alice@example.com');
    const id = incidentPath.split('/').pop()!;
    expect(first!.subject).toBe('[P1] Production Incident - Acme Cloud: Checkout failing');
    // The promised time carries its date when it falls on the next day (a run just before midnight).
    expect(first!.text).toMatch(/^Investigating — Checkout failing\. Next update by \d\d:\d\d UTC(?: on \d{1,2} \w{3} \d{4})?\.\n\nSeverity: P1\nStatus: Investigating\nImpact: Public API: Major outage\nETA: Unknown\n\nDetails:\nCheckout failing\n\nWe are investigating reports of failed checkouts\./);
    expect(first!.text).toMatch(/\nNext update by \d\d:\d\d UTC(?: on \d{1,2} \w{3} \d{4})?\n/);
    expect(first!.text).toContain('\nEngineering Team\n');
    expect(first!.text).toContain(`Incident page: https://status.acme.test/incidents/${id}`);
    expect(second!.text).toContain('Status: Mitigating — cause identified');
    expect(second!.text).toContain('ETA: 20 minutes');
    const unsubscribe = linkPath(first!, '/unsubscribe/');
    expect(linkPath(first!, '/manage/')).toBe(unsubscribe.replace('/unsubscribe/', '/manage/'));
    expect(first!.headers).toEqual({
      'Message-ID': `<incident-${id}@status.acme.test>`,
      'List-Unsubscribe': `<https://status.acme.test${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(second!.headers['In-Reply-To']).toBe(`<incident-${id}@status.acme.test>`);
    expect(first!.html).toContain('@media (prefers-color-scheme: dark)');
    expect(first!.from).toBe('Acme Status <status@acme.test>');
  });

  it('unsubscribes in one click: a POST without Origin or session works, a GET only shows the button', async () => {
    const path = linkPath(incidentEmails('carol@example.com')[0]!, '/unsubscribe/');
    const page = await server.get(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Unsubscribe</button>');
    expect(stateOf('carol@example.com')).toBe('confirmed');
    const oneClick = await server.get(path, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You are unsubscribed');
    expect(stateOf('carol@example.com')).toBe('unsubscribed');
    expect((await server.get('/unsubscribe/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', { method: 'POST' })).status).toBe(404);
  });

  it('changes components through the manage link', async () => {
    const manage = linkPath(incidentEmails('alice@example.com')[0]!, '/manage/');
    const page = await (await server.get(manage)).text();
    expect(page).toContain('alice@example.com: subscribed');
    const saved = await postForm(server, manage, [['action', 'save'], ['components', 'dashboard']]);
    expect(await saved.text()).toContain('Saved.');
    expect(query<{ components: string }>(server, 'select components from subscriber where email = ?', 'alice@example.com')[0]!.components).toBe('["dashboard"]');
  });

  it('resolution emails the remaining subscribers of the component; the unsubscribed get nothing more', async () => {
    const r = await admin.post(incidentPath, { action: 'update', status: 'resolved', message: 'Issue has been resolved. All systems operational.' });
    expect(r.status).toBe(303);
    await outboxIdle(server);
    expect(incidentEmails('carol@example.com')).toHaveLength(2);
    expect(incidentEmails('alice@example.com')).toHaveLength(2);
  });

  it('notifies a new markdown incident once, and never the history already in content/', async () => {
    // Subscribers only: the admins' runbook reminders about the fixture's open incident are another matter.
    expect(fake.delivered.some((e) => !e.to.includes(ADMIN_EMAIL) && e.text.includes('Elevated API error rates'))).toBe(false);
    const at = iso(Date.now() - 2 * MINUTE);
    const file = (body: string): string => `---
title: Dashboard not loading
severity: P0
components:
  dashboard: major_outage
updates:
  - at: ${at}
    status: investigating
    message: We are investigating reports of the dashboard not loading.
---
${body}
`;
    fixture.write('incidents/dashboard-down.md', file(''));
    await eventually(async () => expect(incidentEmails('dave@example.com')).toHaveLength(1), 30_000);
    expect(incidentEmails('dave@example.com')[0]!.subject).toBe('[P0] Production Incident - Acme Cloud: Dashboard not loading');
    await eventually(async () => expect(incidentEmails('alice@example.com')).toHaveLength(3), 30_000);
    fixture.write('incidents/dashboard-down.md', file('Edited body.'));
    // The edit was read (the page shows it) and whatever it caused has gone out: only then is "nothing more" meaningful.
    await eventually(async () => expect(await (await server.get('/incidents/dashboard-down')).text()).toContain('Edited body.'), 30_000);
    await outboxIdle(server);
    expect(incidentEmails('dave@example.com')).toHaveLength(1);
    expect(incidentEmails('alice@example.com')).toHaveLength(3);
  });
});

describe('Resend webhook', () => {
  const bounce = JSON.stringify({ type: 'email.bounced', created_at: new Date().toISOString(), data: { email_id: 'x', to: ['dave@example.com'], bounce: { type: 'Permanent' } } });

  it('refuses a body whose signature does not verify', async () => {
    const r = await server.get('/api/webhooks/resend', { method: 'POST', body: bounce, headers: signedWebhook(bounce, 'whsec_d3JvbmdzZWNyZXR3cm9uZ3NlY3JldA==') });
    expect(r.status).toBe(401);
    expect(stateOf('dave@example.com')).toBe('confirmed');
  });

  it('suppresses a bounced address for good (no Origin needed)', async () => {
    const r = await server.get('/api/webhooks/resend', { method: 'POST', body: bounce, headers: signedWebhook(bounce) });
    expect(r.status).toBe(200);
    expect(stateOf('dave@example.com')).toBe('bounced');
    const again = await postForm(server, '/subscribe', [['email', 'dave@example.com']]);
    expect(again.status).toBe(200);
    expect(stateOf('dave@example.com')).toBe('bounced');
  });
});

describe('admin', () => {
  it('counts subscribers by state, searches, exports CSV and removes', async () => {
    const page = await (await admin.get('/admin/subscribers')).text();
    expect(page).toMatch(/<b>2<\/b><span>Pending confirmation/);
    expect(page).toMatch(/<b>1<\/b><span>Confirmed/);
    expect(page).toMatch(/<b>1<\/b><span>Unsubscribed/);
    expect(page).toMatch(/<b>1<\/b><span>Bounced/);
    const found = await (await admin.get('/admin/subscribers?q=erin')).text();
    expect(found).toContain('erin@example.com');
    expect(found).not.toContain('alice@example.com');
    const csv = await admin.get('/admin/subscribers.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('email,state,reason,components,subscribed,confirmed,unsubscribed');
    expect(lines).toContainEqual(expect.stringMatching(/^dave@example\.com,bounced,bounced,Dashboard,/));
    const id = query<{ id: string }>(server, 'select id from subscriber where email = ?', 'erin@example.com')[0]!.id;
    expect(await (await admin.post('/admin/subscribers', { action: 'remove', id })).text()).toContain('Removed erin@example.com');
    expect(stateOf('erin@example.com')).toBeUndefined();
    expect((await server.get('/admin/subscribers.csv')).status).toBe(303);
  });

  it('lists every email with its state, previews it with placeholder links, and serves its HTML under its own CSP', async () => {
    const list = await (await admin.get('/admin/emails?state=sent')).text();
    expect(list).toContain('[P1] Production Incident - Acme Cloud: Checkout failing');
    const id = query<{ id: string }>(server, "select o.id from email_outbox o join email_message m on m.id = o.message_id where m.kind = 'incident' limit 1")[0]!.id;
    const preview = await (await admin.get(`/admin/emails/${id}`)).text();
    expect(preview).toContain('Severity: P1');
    expect(preview).toContain('https://status.acme.test/unsubscribe/PREVIEW-TOKEN');
    const html = await admin.get(`/admin/emails/${id}/html`);
    expect(html.headers.get('content-security-policy')).toContain("style-src 'unsafe-inline'");
    expect(await html.text()).toMatch(/^<!doctype html>/);
  });
});
