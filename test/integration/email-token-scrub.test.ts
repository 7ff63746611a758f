// Link tokens leave no trace in the SQLite file once their batch is sent: not in the tables, free pages or the WAL.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emailEnv, linkPath, postForm, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake) });
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

/** The database file and its WAL, byte for byte, as anyone reading the disk (or a backup of it) would see them. */
function rawBytes(): Buffer {
  const file = path.join(server.dataDir, 'status.db');
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

const tokenOf = (linkPathname: string): string => linkPathname.split('/').pop()!;
const unsent = (): number => query<{ n: number }>(server, "select count(*) as n from email_batch where state <> 'sent'")[0]!.n;

it('keeps no raw confirm or unsubscribe token in the database file or its WAL once the batch is sent, and the links still work', async () => {
  const email = 'reader@example.com';
  expect((await postForm(server, '/subscribe', [['email', email]])).status).toBe(200);
  await eventually(async () => expect(fake.deliveredTo(email)).toHaveLength(1), 30_000);
  const confirm = linkPath(fake.deliveredTo(email)[0]!, '/subscribe/confirm/');
  expect(await (await postForm(server, confirm, [])).text()).toContain('You are subscribed');

  const now = Date.now();
  fixture.write('incidents/scrub-check.md', `---
title: Search is slow
severity: P1
components:
  api: major_outage
detected: ${iso(now - 5 * MINUTE)}
updates:
  - at: ${iso(now - 4 * MINUTE)}
    status: investigating
    message: We are looking into slow searches.
---
`);
  await eventually(async () => expect(fake.deliveredTo(email)).toHaveLength(2), 30_000);
  const unsubscribe = linkPath(fake.deliveredTo(email)[1]!, '/unsubscribe/');
  const tokens = [tokenOf(confirm), tokenOf(unsubscribe)];
  expect(tokens.every((t) => t.length >= 40)).toBe(true);

  await eventually(async () => expect(unsent()).toBe(0), 30_000);
  // Scrubbing the pages and the WAL follows the answer being stored; wait for it by condition, not by time.
  await eventually(async () => {
    const bytes = rawBytes();
    for (const t of tokens) expect(bytes.includes(t), `token ${t.slice(0, 6)}… in the file`).toBe(false);
  }, 30_000);

  // Only the hash was kept, and it still finds the subscriber.
  const done = await server.get(unsubscribe, { method: 'POST' });
  expect(await done.text()).toContain('You are unsubscribed');
  expect(query<{ state: string }>(server, 'select state from subscriber where email = ?', email)[0]!.state).toBe('unsubscribed');
}, 120_000);
