// Two instances of the built server on one real PostgreSQL database: what one posts, the other shows.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_PASSWORD, adminClient, firstAdmin } from '../helpers/admin-client.ts';
import { emailEnv } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

// A database of its own per run, created on the machine's PostgreSQL (trust auth, as CI has it).
let url: string;
let dropDatabase: () => Promise<void> = async () => {};
let fixture: Fixture;
let a: RunningServer;
let b: RunningServer;
let fake: FakeResend;

beforeAll(async () => {
  const database = await createTestDatabase('kz_test');
  url = database.url;
  dropDatabase = database.drop;
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  a = await startServer({ contentDir: fixture.dir, env: emailEnv(fake, { DATABASE_URL: url }) });
  b = await startServer({ contentDir: fixture.dir, env: emailEnv(fake, { DATABASE_URL: url }) });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await fake?.close();
  fixture?.cleanup();
  await dropDatabase();
});

it('migrates PostgreSQL, signs in, and shows an incident posted on one instance on the other within a second or two', async () => {
  // b started last, so its link replaced a's; either instance accepts it (same database).
  const admin = await firstAdmin(a, { output: b.output() });
  await b.get('/').then((r) => r.text());
  const posted = await admin.post('/admin/incidents/new', { title: 'Replicated incident', severity: 'P1', 'component.api': 'major_outage', message: 'We are investigating reports of errors.', notify: 'auto' });
  expect(posted.status).toBe(303);
  expect(await (await a.get('/')).text()).toContain('Replicated incident');
  await eventually(async () => expect(await (await b.get('/')).text()).toContain('Replicated incident'), 15_000);
  // Sessions live in the database too: the same cookie works on the other instance.
  expect((await b.get('/admin', { headers: { cookie: admin.cookie! } })).status).toBe(200);
});

it('keeps subscribers in PostgreSQL and, with two delivery workers on the database, sends the confirmation once', async () => {
  const r = await b.get('/subscribe', {
    method: 'POST',
    headers: { origin: new URL(b.url).origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'reader@example.com' }),
  });
  expect(r.status).toBeLessThan(400);
  expect(await r.text()).toMatch(/check your inbox/i);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const subs = await client.query('select count(*)::int as n from subscriber');
    // Only the reader's: the runbook's reminders to the admin about the fixture's open incident are queued too.
    const mails = await client.query("select count(*)::int as n from email_outbox where to_address = 'reader@example.com'");
    expect(subs.rows[0].n).toBe(1);
    expect(mails.rows[0].n).toBe(1);
  } finally {
    await client.end();
  }
  await eventually(async () => expect(fake.deliveredTo('reader@example.com')).toHaveLength(1), 10_000);
  await new Promise((r) => setTimeout(r, 1500));
  expect(fake.deliveredTo('reader@example.com')).toHaveLength(1);
  // Other emails (the fixture's incident) may share the run; none was accepted twice.
  expect(fake.calls.filter((c) => c.replayed)).toHaveLength(0);
});

it('with two instances delivering from one database, a P1 reaches 250 confirmed subscribers exactly once each', async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const stamp = new Date().toISOString();
  try {
    for (let i = 0; i < 250; i++) {
      await client.query(
        "insert into subscriber (id, email, state, components, created_at, updated_at, confirmed_at) values ($1, $2, 'confirmed', null, $3, $3, $3)",
        [`bulk-${i}`, `bulk${i}@example.com`, stamp],
      );
    }
  } finally {
    await client.end();
  }
  const admin = adminClient(a);
  await admin.post('/admin/login', { email: 'oncall@acme.test', password: ADMIN_PASSWORD });
  const posted = await admin.post('/admin/incidents/new', { title: 'Fan-out incident', severity: 'P1', 'component.api': 'major_outage', message: 'We are investigating reports of errors on the API.', notify: 'auto' });
  expect(posted.status).toBe(303);
  const fanOut = (): number => fake.delivered.filter((e) => e.subject.includes('Production Incident') && e.to[0]!.startsWith('bulk')).length;
  await eventually(async () => expect(fanOut()).toBe(250), 20_000);
  await new Promise((r) => setTimeout(r, 1500));
  expect(fanOut()).toBe(250);
  expect(new Set(fake.delivered.filter((e) => e.to[0]!.startsWith('bulk')).map((e) => e.to[0])).size).toBe(250);
  expect(fake.calls.filter((c) => c.replayed)).toHaveLength(0);
}, 40_000);

