// SIGTERM stops the server gracefully: the email call in flight finishes and its answer is stored, a response in
// progress completes and its keep-alive connection is then closed, the process exits 0, and a restart finds nothing
// left "sending" and sends nothing twice. And a batch whose call may have gone out over 23 hours ago (the provider
// forgets its idempotency key after 24) is never sent again without a person deciding (docs/decisions/027).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { prepareBatch } from '../../src/lib/server/email/delivery.ts';
import { enqueueIncident, seedSubscribers } from '../helpers/email-db.ts';
import { emailEnv, firstAdmin, outboxIdle, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, HOUR, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const fakes: FakeResend[] = [];
const servers: RunningServer[] = [];
const dirs: string[] = [];
const fixtures: Fixture[] = [];

afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const f of fakes) await f.close();
  for (const f of fixtures) f.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A content folder with no news of its own: only what the test enqueues is emailed. */
function quietFixture(): Fixture {
  const f = createFixture(Date.now());
  f.remove('incidents/open-api-errors.md');
  f.remove('maintenance/db-upgrade.md');
  fixtures.push(f);
  return f;
}

/** A data folder whose database holds `subscribers` confirmed subscribers and one incident update queued to them. */
async function dataWithQueuedNews(subscribers: number): Promise<{ dataDir: string; addresses: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-shutdown-'));
  dirs.push(dataDir);
  const db = openDb(path.join(dataDir, 'status.db'));
  await migrateToLatest(db);
  const addresses = await seedSubscribers(db, subscribers, { components: ['api'] });
  expect(await enqueueIncident(db)).toBe(subscribers);
  await db.destroy();
  return { dataDir, addresses };
}

const states = (dataDir: string): Record<string, number> =>
  Object.fromEntries(query<{ state: string; n: number }>({ dataDir }, 'select state, count(*) as n from email_outbox group by state').map((r) => [r.state, r.n]));

it('on SIGTERM lets the email call in flight finish and be stored, completes the response in progress, closes the connection and exits 0; the restart sends nothing twice', async () => {
  const fixture = quietFixture();
  const { dataDir, addresses } = await dataWithQueuedNews(3);
  const fake = await startFakeResend();
  fakes.push(fake);
  // A slow Resend: it delivers the batch but answers only when told.
  fake.setMode({ kind: 'hold' });
  const env = emailEnv(fake);
  const server = await startServer({ contentDir: fixture.dir, dataDir, env });
  servers.push(server);
  await eventually(async () => expect(fake.calls.filter((c) => c.status === 'held')).toHaveLength(1), 60_000);

  // A keep-alive client whose request is in progress: its headers are in (the server answered 100 Continue), its
  // body not yet sent, so no answer can have started.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = new URLSearchParams({ email: 'nobody@acme.test', password: 'not the password' }).toString();
  const url = new URL('/admin/login', server.url);
  const req = http.request({
    host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), origin: url.origin, expect: '100-continue' },
  });
  const socketClosed = new Promise<void>((resolve) => req.once('socket', (s) => s.once('close', () => resolve())));
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.once('error', reject);
    });
    req.once('error', reject);
  });
  response.catch(() => {}); // awaited below; on a server that drops the connection the test fails there
  await new Promise<void>((resolve) => req.once('continue', () => resolve()));

  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) => {
    server.process.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  const signalledAt = Date.now();
  server.process.kill('SIGTERM');
  // It stops taking new connections at once...
  await eventually(async () => { await expect(fetch(new URL('/healthz', server.url))).rejects.toThrow(); }, 20_000);
  // ...but not before the work in progress is done: the held call keeps it running.
  expect(server.process.exitCode).toBeNull();

  // Resend answers: the answer is stored (the request in progress still keeps the process up).
  fake.release();
  await eventually(async () => expect(states(dataDir)).toEqual({ sent: 3 }), 15_000);
  expect(server.process.exitCode).toBeNull();

  // The response in progress completes in full, then the server closes its keep-alive connection and exits 0,
  // within the 20 s bound (past it the call would have been aborted and said so).
  req.end(body);
  const answered = await response;
  expect(answered.status).toBeLessThan(500);
  expect(answered.text).toContain('</html>');
  await socketClosed;
  agent.destroy();
  const exit = await exited;
  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(exit.at - signalledAt).toBeLessThan(25_000);
  expect(states(dataDir)).toEqual({ sent: 3 });
  expect(query({ dataDir }, "select state from email_batch")).toEqual([{ state: 'sent' }]);
  expect(server.output()).not.toMatch(/aborted/);

  // The next start on the same file finds nothing to resend: no further call, every address emailed once.
  const again = await startServer({ contentDir: fixture.dir, dataDir, env });
  servers.push(again);
  await outboxIdle({ dataDir });
  expect(states(dataDir)).toEqual({ sent: 3 });
  expect(fake.calls).toHaveLength(1);
  for (const a of addresses) expect(fake.deliveredTo(a), a).toHaveLength(1);
}, 240_000);

it('never re-sends a batch whose call may have gone out over 23 hours ago: admin shows it needs a decision, and Retry says it may send twice before it does', async () => {
  const fixture = quietFixture();
  const { dataDir, addresses } = await dataWithQueuedNews(2);
  // As a process leaves it that called Resend 24 hours ago and was killed (or the machine lost) before the answer
  // was stored: the batch stored with its key, its first attempt marked, no answer.
  const dayAgo = Date.now() - 24 * HOUR;
  const db = openDb(path.join(dataDir, 'status.db'));
  const batch = await prepareBatch(db, 'Acme Status <status@acme.test>', dayAgo);
  if (!batch || batch === 'skipped') throw new Error('no batch');
  await db.updateTable('email_batch').set({ first_attempt_at: new Date(dayAgo).toISOString() }).where('id', '=', batch.id).execute();
  await db.destroy();
  expect(states(dataDir)).toEqual({ sending: 2 });

  const fake = await startFakeResend();
  fakes.push(fake);
  const server = await startServer({ contentDir: fixture.dir, dataDir, env: emailEnv(fake) });
  servers.push(server);
  await eventually(async () => expect(states(dataDir)).toEqual({ uncertain: 2 }), 60_000);
  expect(query({ dataDir }, 'select state from email_batch')).toEqual([{ state: 'uncertain' }]);
  expect(fake.calls).toHaveLength(0);

  const admin = await firstAdmin(server);
  const list = await (await admin.get('/admin/emails?state=uncertain')).text();
  expect(list).toContain('Needs a decision');
  expect(list).toContain('may already have been delivered');
  const [first, second] = query<{ id: string; to_address: string }>({ dataDir }, 'select id, to_address from email_outbox order by to_address');

  // "Retry every failed email" leaves them alone.
  expect((await admin.post('/admin/emails', { action: 'retry' })).status).toBe(200);
  expect(states(dataDir)).toEqual({ uncertain: 2 });

  // Retry on one says what it risks and asks first; nothing is queued yet.
  const asked = await (await admin.post('/admin/emails', { action: 'retry', id: first!.id })).text();
  expect(asked).toContain('may already have been delivered');
  expect(asked).toContain('Retrying may send it twice');
  expect(asked).toContain('Retry anyway');
  expect(states(dataDir)).toEqual({ uncertain: 2 });
  // The email's own page too.
  const own = await (await admin.post(`/admin/emails/${encodeURIComponent(second!.id)}`, {})).text();
  expect(own).toContain('Retrying may send it twice');
  expect(states(dataDir)).toEqual({ uncertain: 2 });

  // Confirmed, the first goes out in a new batch with a new key; the second is kept unsent by decision.
  expect((await admin.post('/admin/emails', { action: 'retry', id: first!.id, decision: 'retry' })).status).toBe(200);
  expect((await admin.post(`/admin/emails/${encodeURIComponent(second!.id)}`, { decision: 'keep' })).status).toBe(200);
  await outboxIdle({ dataDir });
  expect(states(dataDir)).toEqual({ sent: 1, not_sent: 1 });
  expect(fake.calls).toHaveLength(1);
  expect(fake.calls[0]!.idempotencyKey).not.toBe(batch.idempotencyKey);
  expect(fake.deliveredTo(first!.to_address)).toHaveLength(1);
  expect(fake.deliveredTo(second!.to_address)).toHaveLength(0);
  expect(addresses.sort()).toEqual([first!.to_address, second!.to_address].sort());
  const audit = query<{ action: string }>({ dataDir }, "select action from audit_log where action in ('emails_retried', 'email_not_retried') order by at");
  expect(audit.map((a) => a.action).sort()).toEqual(['email_not_retried', 'emails_retried']);
}, 240_000);
