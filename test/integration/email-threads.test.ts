// Emails that read well and thread per incident, end to end: admin form and content files in, the fake Resend out.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../helpers/admin-client.ts';
import { emailEnv, firstAdmin } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeEmail, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { confirmToken } from '../helpers/postmortem.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let admin: AdminClient;
let dataDir: string;
const ids: Record<string, string> = {};
const local = (offsetMinutes = 0): string => new Date(Date.now() + offsetMinutes * 60_000).toISOString().slice(0, 16);
const about = (to: string, title: string): FakeEmail[] => fake.deliveredTo(to).filter((e) => e.subject.endsWith(`: ${title}`));
const root = (id: string): string => `<incident-${id}@status.acme.test>`;
const SUBSCRIBERS = ['ann@example.com', 'ben@example.com'];

async function declare(title: string, message: string): Promise<string> {
  const r = await admin.post('/admin/incidents/new', { title, severity: 'P1', 'component.api': 'major_outage', detected: local(-10), message, notify: 'auto' });
  expect(r.status).toBe(303);
  return r.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
}

beforeAll(async () => {
  fixture = createFixture(Date.now());
  // The fixture's open markdown incident would be notified at start, racing the subscribers below.
  fixture.remove('incidents/open-api-errors.md');
  fixture.write('site.yaml', 'name: Acme Cloud\nurl: https://status.acme.test\ntimezone: UTC\nlogo: /brand/logo.png\n');
  fake = await startFakeResend();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-threads-'));
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake), dataDir });
  admin = await firstAdmin(server);
  const db = new Database(path.join(dataDir, 'status.db'));
  const stamp = new Date().toISOString();
  const insert = db.prepare('insert into subscriber (id, email, state, components, created_at, updated_at, confirmed_at) values (?, ?, ?, ?, ?, ?, ?)');
  SUBSCRIBERS.forEach((email, i) => insert.run(`s-${i}`, email, 'confirmed', null, stamp, stamp, stamp));
  db.close();
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('incident emails over HTTP', () => {
  it('render the update\'s markdown in the HTML part and flatten it in the text part, under the brand header', async () => {
    ids.checkout = await declare('Checkout failing', 'We are investigating reports of **failed checkouts** on [the API](/components/api).\n\n- EU first\n- US next\n\nUpdates will be provided every 15 minutes.');
    await eventually(async () => expect(about('ann@example.com', 'Checkout failing')).toHaveLength(1), 30_000);
    const mail = about('ann@example.com', 'Checkout failing')[0]!;
    expect(mail.subject).toBe('[P1] Production Incident - Acme Cloud: Checkout failing');
    expect(mail.html).toContain('<strong>failed checkouts</strong>');
    expect(mail.html).toContain('href="https://status.acme.test/components/api"');
    expect(mail.html).toMatch(/<li [^>]*>EU first<\/li>/);
    expect(mail.html).toContain('<img src="https://status.acme.test/brand/logo.png" alt=""');
    expect(mail.html).toMatch(/>Acme Cloud<\/a>/);
    expect(mail.text).toContain('We are investigating reports of failed checkouts on the API (https://status.acme.test/components/api).\n\n- EU first\n- US next');
    expect(mail.text).not.toMatch(/\*\*|\]\(/);
    expect(mail.text).toMatch(/^Investigating — Checkout failing\. Next update by \d\d:\d\d UTC(?: on \d{1,2} \w{3} \d{4})?\.\n\nSeverity: P1\nStatus: Investigating\nImpact: Public API: Major outage\nETA: Unknown\n/);
    expect(mail.text).toMatch(/\nPosted \d\d:\d\d UTC on \d{1,2} [A-Z][a-z]{2} \d{4}\nOngoing for 1\d min \(since \d\d:\d\d UTC(?: on \d{1,2} [A-Z][a-z]{2} \d{4})?\)\nNext update by \d\d:\d\d UTC(?: on \d{1,2} [A-Z][a-z]{2} \d{4})?\n/);
    expect(mail.html).toMatch(/<div style="display:none;[^"]*">Investigating — Checkout failing\./);
  });

  it('give two incidents distinct subjects and threads: one root within an incident, another between them', async () => {
    ids.search = await declare('Search slow', 'We are investigating reports of slow searches.');
    const update = await admin.post(`/admin/incidents/${ids.checkout}`, { action: 'update', status: 'identified', message: 'We have identified the cause as a full disk.\nWorking on mitigation. ETA: 20 minutes' });
    expect(update.status).toBe(303);
    await eventually(async () => {
      for (const to of SUBSCRIBERS) {
        expect(about(to, 'Checkout failing')).toHaveLength(2);
        expect(about(to, 'Search slow')).toHaveLength(1);
      }
    }, 30_000);
    const [opening, identified] = about('ann@example.com', 'Checkout failing');
    const search = about('ann@example.com', 'Search slow')[0]!;
    expect(search.subject).toBe('[P1] Production Incident - Acme Cloud: Search slow');
    expect(opening!.headers['Message-ID']).toBe(root(ids.checkout));
    expect(search.headers['Message-ID']).toBe(root(ids.search));
    expect(root(ids.search)).not.toBe(root(ids.checkout));
    expect(identified!.headers['In-Reply-To']).toBe(root(ids.checkout));
    expect(identified!.headers.References).toBe(root(ids.checkout));
    expect(identified!.headers['Message-ID']).toMatch(new RegExp(`^<incident-${ids.checkout}\\.[0-9a-f]{24}@status\\.acme\\.test>$`));
    // Each recipient's copy of a reply has its own Message-ID.
    expect(about('ben@example.com', 'Checkout failing')[1]!.headers['Message-ID']).not.toBe(identified!.headers['Message-ID']);
    expect(identified!.text).toContain('Status: Mitigating — cause identified\n');
    expect(identified!.text).toContain('ETA: 20 minutes\n');
    expect(identified!.headers['List-Unsubscribe']).toMatch(/^<https:\/\/status\.acme\.test\/unsubscribe\/[a-z2-7]+>$/);
  });

  it('say "Resolved at HH:MM (lasted …)" once resolved, never "ETA: Resolved", in the same thread', async () => {
    const r = await admin.post(`/admin/incidents/${ids.checkout}`, { action: 'update', status: 'resolved', message: 'Issue has been resolved. All systems operational.\nPost-mortem will be published within 48 hours.' });
    expect(r.status).toBe(303);
    await eventually(async () => expect(about('ann@example.com', 'Checkout failing')).toHaveLength(3), 30_000);
    const mail = about('ann@example.com', 'Checkout failing')[2]!;
    expect(mail.text).toMatch(/^Resolved — Checkout failing\n/);
    expect(mail.text).toMatch(/\nStatus: Resolved\nImpact: Public API: Operational \(was major outage\)\nResolved at \d\d:\d\d UTC \(lasted \d+ min\)\n/);
    expect(mail.text).not.toMatch(/ETA|Next update|Ongoing/);
    expect(mail.html).not.toContain('ETA');
    expect(mail.html).toMatch(/Resolved at \d\d:\d\d UTC \(lasted \d+ min\)/);
    expect(mail.headers['In-Reply-To']).toBe(root(ids.checkout));
  });

  it('send the post-mortem in the incident\'s thread, with its Summary and Impact rendered', async () => {
    const body = '## Summary\n- **Date**: 2026-11-20\n- **Duration**: 10 min\n- **Severity**: P1\n- **Impact**: checkouts failed\n\n## Timeline\n- 10:05 - The payments disk filled up\n\n## Root Cause\nThe payments disk filled up.\n\n## Impact\n- Users affected: 1,200\n- Downtime: 10 minutes\n\n## Resolution\nDisk grown.\n';
    const form = { title: 'Checkout outage post-mortem', body };
    const ask = await admin.post(`/admin/postmortems/${ids.checkout}`, { ...form, action: 'publish' });
    expect(ask.status).toBe(200);
    const r = await admin.post(`/admin/postmortems/${ids.checkout}`, { ...form, action: 'confirm', confirmed: confirmToken(await ask.text())! });
    expect(r.status).toBe(303);
    const pm = (to: string): FakeEmail[] => fake.deliveredTo(to).filter((e) => e.subject === '[P1] Post-mortem published - Acme Cloud: Checkout failing');
    await eventually(async () => expect(pm('ann@example.com')).toHaveLength(1), 30_000);
    const mail = pm('ann@example.com')[0]!;
    expect(mail.headers['In-Reply-To']).toBe(root(ids.checkout));
    expect(mail.html).toMatch(/<h2 [^>]*>Summary<\/h2>/);
    expect(mail.html).toContain('<strong>Duration</strong>: 10 min');
    expect(mail.html).toMatch(/<h2 [^>]*>Impact<\/h2>/);
    expect(mail.html).not.toContain('payments disk');
    expect(mail.text).toContain('Impact\n\n- Users affected: 1,200\n- Downtime: 10 minutes');
    expect(mail.text).not.toContain('**');
  });
});

describe('markdown incidents', () => {
  const multi = (): string => `---
title: Queue delays
severity: P1
components:
  api: degraded_performance
updates:
  - at: ${iso(Date.now() - 20 * MINUTE)}
    status: investigating
    message: We are investigating reports of **delayed jobs**.
  - at: ${iso(Date.now() - 12 * MINUTE)}
    status: identified
    message: "We have identified the cause as a stuck [worker pool](/components/api)."
  - at: ${iso(Date.now() - 4 * MINUTE)}
    status: monitoring
    message: A fix has been applied and we are monitoring the results.
---
`;

  it('several fresh updates each reach subscribers, listed in order in one email, and never again after a restart', async () => {
    fixture.write('incidents/queue-delays.md', multi());
    await eventually(async () => { for (const to of SUBSCRIBERS) expect(about(to, 'Queue delays')).toHaveLength(1); }, 30_000);
    const { text, html, headers } = about('ann@example.com', 'Queue delays')[0]!;
    const order = ['· Investigating\n\nWe are investigating reports of delayed jobs.', '· Mitigating — cause identified\n\nWe have identified the cause as a stuck worker pool (https://status.acme.test/components/api).', '· Mitigating — monitoring a fix\n\nA fix has been applied'];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i > 0), text).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('Status: Mitigating — monitoring a fix\n');
    expect(html).toContain('<strong>delayed jobs</strong>');
    expect(headers['Message-ID']).toBe(root('queue-delays'));
    const ledger = new Database(path.join(dataDir, 'status.db'), { readonly: true });
    const keys = ledger.prepare("select key from email_notification where key like 'incident:queue-delays:%'").all() as { key: string }[];
    ledger.close();
    expect(keys).toHaveLength(3);

    await server.stop();
    server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake), dataDir });
    // A new markdown incident is notified after the restart: by then the first file has been looked at again.
    fixture.write('incidents/after-restart.md', `---\ntitle: After restart\nseverity: P1\nupdates:\n  - at: ${iso(Date.now() - MINUTE)}\n    status: investigating\n    message: We are investigating.\n---\n`);
    await eventually(async () => { for (const to of SUBSCRIBERS) expect(about(to, 'After restart')).toHaveLength(1); }, 30_000);
    for (const to of SUBSCRIBERS) expect(about(to, 'Queue delays')).toHaveLength(1);
  }, 120_000);
});
