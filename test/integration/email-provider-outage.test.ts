// Resend down for a minute (5xx, then calls that hang): the admin sees it on the dashboard and per batch on the
// emails page, Resend is not hammered meanwhile, and once it recovers every email goes out once within 30 s.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { formatTime } from '../../src/lib/status/format.ts';
import { emailEnv, firstAdmin, outboxIdle, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { incidentFields, seedReaders } from '../helpers/outage.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const SUBSCRIBERS = 600;
/** Long enough that an uncapped exponential backoff (1 s, 2 s … 5 min) has grown past 30 s. */
const OUTAGE_MS = 60_000;
const TIME_ZONE = 'Asia/Kolkata';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

it('shows a provider outage on the dashboard and per batch, throttles calls meanwhile, and delivers everything once within 30 s of recovery', async () => {
  fixture = createFixture(Date.now());
  fixture.remove('incidents/open-api-errors.md');
  fixture.remove('maintenance/db-upgrade.md');
  const site = path.join(fixture.dir, 'site.yaml');
  fs.writeFileSync(site, fs.readFileSync(site, 'utf8').replace('timezone: UTC', `timezone: ${TIME_ZONE}`));
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake, { RESEND_RATE_LIMIT: '2' }) });
  const seeder = openDb(path.join(server.dataDir, 'status.db'));
  const addresses = await seedReaders(seeder, SUBSCRIBERS);
  await seeder.destroy();
  const admin = await firstAdmin(server);

  // Resend answers 500 to everything.
  fake.setMode({ kind: '500' });
  const title = 'Checkout failing while Resend is down';
  expect((await admin.post('/admin/incidents/new', incidentFields(title, 'auto'))).status).toBe(303);
  await eventually(async () => expect(fake.calls.length).toBeGreaterThan(0), 30_000);
  const outageFrom = fake.calls[0]!.at;
  const sinceTexts = [formatTime(outageFrom - 2000, TIME_ZONE), formatTime(outageFrom + 2000, TIME_ZONE)];

  // The dashboard says so, with the time in the site's zone and the reason.
  await eventually(async () => {
    const m = /Email delivery failing since (\d\d:\d\d \S+) \(5xx\)/.exec(text(await (await admin.get('/admin')).text()));
    expect(m).not.toBeNull();
    expect(sinceTexts).toContain(m![1]);
  }, 30_000);
  // The emails page lists each batch waiting to be retried: its last error, attempts and next try.
  await eventually(async () => {
    const page = text(await (await admin.get('/admin/emails')).text());
    expect(page).toContain('Waiting to be retried 6 batches');
    expect(page).toContain('Batch Emails Attempts Last error First call Next try');
    expect(page).toMatch(/ 100 [2-9] 500 internal_server_error: An unexpected error occurred\. \d+ \w+ 2\d{3}, \d\d:\d\d IST (now|\d+ \w+ 2\d{3}, \d\d:\d\d IST)/);
  }, 30_000);
  const stored = query<{ attempts: number; last_error: string }>(server, "select attempts, last_error from email_batch where state = 'pending'");
  expect(stored).toHaveLength(SUBSCRIBERS / 100);

  // For the outage's last 20 s calls hang (no answer, nothing processed): the timeouts show too.
  await new Promise((r) => setTimeout(r, Math.max(0, outageFrom + OUTAGE_MS - 20_000 - Date.now())));
  fake.setMode({ kind: 'stall' });
  await eventually(async () => {
    expect(text(await (await admin.get('/admin')).text())).toMatch(/Email delivery failing since \d\d:\d\d IST \(5xx \/ timeouts\)/);
    expect(text(await (await admin.get('/admin/emails')).text())).toMatch(/no answer within \d+ s/);
  }, 45_000);
  // The outage lasts its minute whatever the test did meanwhile.
  await new Promise((r) => setTimeout(r, Math.max(0, outageFrom + OUTAGE_MS - Date.now())));
  expect(fake.delivered).toHaveLength(0);
  // Not hammered: after the first seconds, at most one call per 5 s (counted in 30 s windows, with a call's slack).
  const outageCalls = fake.calls.filter((c) => c.at >= outageFrom + 15_000).map((c) => c.at);
  for (const at of outageCalls) expect(outageCalls.filter((b) => b >= at && b < at + 30_000).length).toBeLessThanOrEqual(8);

  // Resend recovers: every email goes out once, the last within 30 s.
  fake.setMode({ kind: 'ok' });
  const recoveredAt = Date.now();
  await eventually(async () => expect(fake.delivered.length).toBeGreaterThanOrEqual(SUBSCRIBERS), 120_000);
  const lastAccepted = Math.max(...fake.acceptedCalls().map((c) => c.at));
  expect(lastAccepted - recoveredAt).toBeLessThan(30_000);
  await outboxIdle(server);
  const counts = new Map<string, number>();
  for (const e of fake.delivered) for (const to of e.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  expect(addresses.filter((a) => counts.get(a) !== 1)).toEqual([]);
  expect(fake.delivered).toHaveLength(SUBSCRIBERS);
  // Each batch kept its one key through every attempt.
  expect(query<{ n: number }>(server, 'select count(distinct idempotency_key) as n from email_batch')[0]!.n).toBe(SUBSCRIBERS / 100);
  expect(new Set(fake.calls.map((c) => c.idempotencyKey)).size).toBe(SUBSCRIBERS / 100);

  // The banner and the waiting list are gone.
  expect(text(await (await admin.get('/admin')).text())).not.toContain('Email delivery failing');
  expect(text(await (await admin.get('/admin/emails')).text())).not.toContain('Waiting to be retried');
}, 300_000);
