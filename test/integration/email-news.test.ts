// Who gets what through the admin: maintenance, P2 with and without "notify", resolution, post-mortems (once).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdminClient } from '../helpers/admin-client.ts';
import { emailEnv, firstAdmin, outboxIdle } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { confirmToken } from '../helpers/postmortem.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let admin: AdminClient;
const local = (offsetMinutes = 0): string => new Date(Date.now() + offsetMinutes * 60_000).toISOString().slice(0, 16);
const subjects = (to: string): string[] => fake.deliveredTo(to).map((e) => e.subject);

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake) });
  admin = await firstAdmin(server);
  // Confirmed subscribers straight into the database: one of the API, one of the docs.
  const db = new Database(path.join(server.dataDir, 'status.db'));
  const stamp = new Date().toISOString();
  const insert = db.prepare('insert into subscriber (id, email, state, components, created_at, updated_at, confirmed_at) values (?, ?, ?, ?, ?, ?, ?)');
  insert.run('s-api', 'api@example.com', 'confirmed', '["api"]', stamp, stamp, stamp);
  insert.run('s-docs', 'docs@example.com', 'confirmed', '["docs"]', stamp, stamp, stamp);
  db.close();
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

it('announces maintenance when scheduled and when it starts, to subscribers of its components', async () => {
  const r = await admin.post('/admin/maintenance', { title: 'Database upgrade', components: 'api', scheduled_start: local(60), scheduled_end: local(120), message: 'Jobs will queue.', body: '' });
  expect(r.status).toBe(303);
  const page = r.headers.get('location')!.replace(/\?.*/, '');
  await eventually(async () => expect(subjects('api@example.com')).toEqual(['Scheduled maintenance - Acme Cloud: Database upgrade']), 30_000);
  expect((await admin.post(page, { status: 'in_progress', message: 'Starting now.' })).status).toBe(303);
  await eventually(async () => expect(subjects('api@example.com')).toHaveLength(2), 30_000);
  // Same subject, so the start joins the announcement's thread; the preview line says it started.
  expect(subjects('api@example.com')[1]).toBe('Scheduled maintenance - Acme Cloud: Database upgrade');
  expect(fake.deliveredTo('api@example.com')[1]!.text).toMatch(/^In progress — Database upgrade/);
  await outboxIdle(server);
  expect(subjects('docs@example.com')).toEqual([]);
});

it('emails a P2 only for updates posted with "notify subscribers: yes"', async () => {
  const r = await admin.post('/admin/incidents/new', { title: 'Slow docs search', severity: 'P2', 'component.docs': 'degraded_performance', detected: local(-5), message: 'We are investigating slow searches.', notify: 'auto' });
  expect(r.status).toBe(303);
  const page = r.headers.get('location')!.replace(/\?.*/, '');
  expect((await admin.post(page, { action: 'update', status: 'identified', message: 'We have identified the cause as a cold index.', notify: 'yes' })).status).toBe(303);
  expect((await admin.post(page, { action: 'update', status: 'resolved', message: 'Issue has been resolved.', notify: 'auto' })).status).toBe(303);
  await eventually(async () => expect(subjects('docs@example.com')).toEqual(['[P2] Production Incident - Acme Cloud: Slow docs search']), 30_000);
  await outboxIdle(server);
  expect(subjects('docs@example.com')).toHaveLength(1);
  expect(fake.deliveredTo('docs@example.com')[0]!.text).toContain('Status: Mitigating');
});

it('emails a P1 opening and resolution, and its post-mortem once however often it is republished', async () => {
  const r = await admin.post('/admin/incidents/new', { title: 'API down', severity: 'P1', 'component.api': 'major_outage', detected: local(-5), message: 'We are investigating reports of API errors.', notify: 'auto' });
  const page = r.headers.get('location')!.replace(/\?.*/, '');
  const id = page.split('/').pop()!;
  expect((await admin.post(page, { action: 'update', status: 'resolved', message: 'Issue has been resolved. All systems operational.' })).status).toBe(303);
  await eventually(async () => expect(subjects('api@example.com').filter((s) => s.startsWith('[P1] Production'))).toHaveLength(2), 30_000);
  const pm = `/admin/postmortems/${id}`;
  const form = { title: 'API outage post-mortem', body: '## Summary\n\nA bad deploy took the API down.\n' };
  const publish = async (): Promise<void> => {
    const ask = await admin.post(pm, { ...form, action: 'publish' });
    expect(ask.status).toBe(200);
    expect((await admin.post(pm, { ...form, action: 'confirm', confirmed: confirmToken(await ask.text())! })).status).toBe(303);
  };
  await publish();
  await eventually(async () => expect(subjects('api@example.com')).toContain('[P1] Post-mortem published - Acme Cloud: API down'), 30_000);
  expect(fake.deliveredTo('api@example.com').at(-1)!.text).toContain('A bad deploy took the API down.');
  await admin.post(pm, { ...form, action: 'unpublish' });
  await publish();
  await outboxIdle(server);
  expect(subjects('api@example.com').filter((s) => s.includes('Post-mortem'))).toHaveLength(1);
});
