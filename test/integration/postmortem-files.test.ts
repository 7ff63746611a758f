// A post-mortem file that says `published:` while template placeholders remain: a draft everywhere, never emailed,
// and content:check names each placeholder with its line; filled in, it publishes and is emailed once.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import type { AdminClient } from '../helpers/admin-client.ts';
import { seedSubscribers } from '../helpers/email-db.ts';
import { emailEnv, firstAdmin, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const now = Date.now();
const file = 'postmortems/old-dashboard-outage.md';
const halfWritten = `---
incident: old-dashboard-outage
title: Dashboard outage post-mortem
published: ${iso(now - HOUR)}
---

## Summary
- **Date**: 2026-11-12
- **Duration**: X hours
- **Severity**: P0
- **Impact**: Number of users affected

## Root Cause
The certificate expired; \`HH:MM\` in code is an example.

## Action Items
- [ ] Fix root cause (owner, deadline)
- [x] Improve monitoring (Tom Okafor, 2026-11-20)
`;
/** Each placeholder's file line, counted in the text above. */
const expected = [
  ['X hours', 9],
  ['Number of users affected', 11],
  ['(owner, deadline)', 17],
] as const;

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let admin: AdminClient;
let subscribers: string[];

function contentCheck(dir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/content-check.ts', dir], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}
const ledgerKeys = (): string[] => query<{ key: string }>(server, 'select key from email_notification order by key').map((r) => r.key);
const newIncident = (title: string): string => `---
title: ${title}
severity: P1
components:
  docs: partial_outage
updates:
  - at: ${iso(Date.now() - MINUTE)}
    status: investigating
    message: We are investigating reports of ${title.toLowerCase()}.
---
`;

beforeAll(async () => {
  fixture = createFixture(now);
  fixture.write(file, halfWritten);
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake) });
  admin = await firstAdmin(server);
  const db = openDb(path.join(server.dataDir, 'status.db'));
  subscribers = await seedSubscribers(db, 2, { components: null, prefix: 'reader', domain: 'subscribers.test' });
  await db.destroy();
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

describe('a half-written post-mortem file with published:', () => {
  it('content:check prints one line per placeholder with its file line, and exits non-zero', () => {
    const r = contentCheck(fixture.dir);
    expect(r.status).toBe(1);
    const lines = r.out.split('\n').filter((l) => l.includes('placeholder'));
    expect(lines).toEqual(expected.map(([text, line]) => `${path.join(fixture.dir, file)}: body line ${line}: placeholder ${text} left from the template`));
    expect(halfWritten.split('\n')[expected[0][1] - 1]).toBe('- **Duration**: X hours');
    expect(halfWritten.split('\n')[expected[2][1] - 1]).toBe('- [ ] Fix root cause (owner, deadline)');
  });

  it('is a draft on every public page', async () => {
    expect((await server.get('/postmortems/old-dashboard-outage')).status).toBe(404);
    expect(await (await server.get('/postmortems')).text()).not.toContain('Dashboard outage post-mortem');
    expect(await (await server.get('/incidents/old-dashboard-outage')).text()).not.toContain('href="/postmortems/old-dashboard-outage"');
    const api = await (await server.get('/api/v1/postmortems.json')).text();
    expect(api).not.toContain('old-dashboard-outage');
  });

  it('is listed in admin as a draft with the reason, and its page names each placeholder', async () => {
    const list = await (await admin.get('/admin/postmortems')).text();
    expect(list).toMatch(/Dashboard outage post-mortem<\/a>[\s\S]*?Draft<small class="draft-reason">The file says published, but 3 placeholders from the runbook template remain \(first: line 9, X hours\)\.<\/small>/);
    const page = await (await admin.get('/admin/postmortems/old-dashboard-outage')).text();
    expect(page).toContain('Draft: template placeholders remain in the file.');
    for (const [text, line] of expected) expect(page).toContain(`<li>Line ${line}: ${text}</li>`);
    const dashboard = await (await admin.get('/admin')).text();
    expect(dashboard).toContain('placeholder X hours left from the template');
  });

  it('is never emailed: two full notification passes go by without it', async () => {
    // The fixture's fresh P1 is emailed by the first pass; a second incident proves a later pass ran after it.
    await eventually(async () => expect(ledgerKeys().some((k) => k.startsWith('incident:open-api-errors:'))).toBe(true), 15_000);
    fixture.write('incidents/marker.md', newIncident('Docs slow'));
    await eventually(async () => expect(ledgerKeys().some((k) => k.startsWith('incident:marker:'))).toBe(true), 15_000);
    expect(ledgerKeys()).not.toContain('postmortem:old-dashboard-outage:published');
    expect(query(server, "select m.id from email_message m where m.kind = 'postmortem'")).toEqual([]);
  });

  it('filled in, it is published and emailed to each subscriber once', async () => {
    fixture.write(file, halfWritten
      .replace('X hours', '2 hours 5 minutes')
      .replace('Number of users affected', 'Every dashboard user, about 5,200 organisations')
      .replace('(owner, deadline)', '(Priya Natarajan, 2026-12-04)'));
    expect(contentCheck(fixture.dir).status).toBe(0);
    await eventually(async () => expect((await server.get('/postmortems/old-dashboard-outage')).status).toBe(200), 10_000);
    await eventually(async () => expect(query(server, "select o.state from email_outbox o join email_message m on m.id = o.message_id where m.kind = 'postmortem' and o.state = 'sent'")).toHaveLength(2), 15_000);
    const rows = query<{ to_address: string; provider_id: string }>(server, "select o.to_address, o.provider_id from email_outbox o join email_message m on m.id = o.message_id where m.kind = 'postmortem' order by o.to_address");
    expect(rows.map((r) => r.to_address)).toEqual([...subscribers].sort());
    for (const r of rows) expect(fake.delivered.filter((e) => e.id === r.provider_id).map((e) => e.to)).toEqual([[r.to_address]]);
  });
});
