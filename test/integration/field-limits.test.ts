// Stored fields have length limits, checked before anything is written, each refusal naming its field and keeping
// what was typed: a huge sign-in email grows neither the audit log nor the attempts table.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir, env: await atPublicUrl() });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

const query = <T>(sql: string): T => {
  const db = new Database(path.join(server.dataDir, 'status.db'), { readonly: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
};
/** Characters stored in the audit log and the sign-in attempts table, and their rows. */
const stored = (): { audit: number; attempts: number; rows: number } => {
  const a = query<{ n: number; rows: number }>("select coalesce(sum(length(actor) + length(action) + length(coalesce(target, '')) + length(coalesce(detail, ''))), 0) as n, count(*) as rows from audit_log");
  const s = query<{ n: number; rows: number }>('select coalesce(sum(length(email) + length(ip)), 0) as n, count(*) as rows from sign_in_attempt');
  return { audit: a.n, attempts: s.n, rows: a.rows + s.rows };
};
const post = (p: string, fields: Record<string, string>): Promise<Response> =>
  server.get(p, { method: 'POST', body: new URLSearchParams(fields), headers: { origin: new URL(server.url).origin, 'content-type': 'application/x-www-form-urlencoded' } });
const unescape = (html: string): string => html.replace(/&quot;|&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('sign-in', () => {
  it('a 60 KB email is refused naming the field and stores at most a few hundred bytes', async () => {
    const before = stored();
    const email = `${'a'.repeat(60 * 1024)}@acme.test`;
    const r = await post('/admin/login', { email, password: 'whatever it is' });
    expect(r.status).toBe(400);
    const page = await r.text();
    expect(page).toContain('Email: at most 320 characters');
    expect(page).toContain(`value="${email}"`);
    const after = stored();
    const rows = Math.max(1, after.rows - before.rows);
    expect((after.audit - before.audit) / rows).toBeLessThan(400);
    expect((after.attempts - before.attempts) / rows).toBeLessThan(400);
  });

  it('an ordinary failed sign-in is still recorded (the limit is not a way around the throttle)', async () => {
    const before = stored();
    const r = await post('/admin/login', { email: 'nobody@acme.test', password: 'whatever it is' });
    expect(r.status).toBe(401);
    expect(stored().rows).toBeGreaterThan(before.rows);
  });
});

describe('public forms', () => {
  it('subscribe refuses an address over 254 characters, naming the field, storing nothing', async () => {
    const email = `${'b'.repeat(300)}@acme.test`;
    const r = await post('/subscribe', { email, website: '' });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('Email: at most 254 characters');
    expect(query<{ n: number }>('select count(*) as n from subscriber').n).toBe(0);
  });
});

describe('admin forms', () => {
  it('refuse over-long fields naming each one and keep what was typed', async () => {
    const title = 'T'.repeat(201);
    const incident = await admin.post('/admin/incidents/new', { title, severity: 'P2', message: 'M'.repeat(20_001), notify: 'no' });
    expect(incident.status).toBe(400);
    const page = unescape(await incident.text());
    expect(page).toContain('Title: at most 200 characters');
    expect(page).toContain('Message: at most 20,000 characters');
    expect(page).toContain(title);

    const maintenance = await admin.post('/admin/maintenance', { title, components: 'api', scheduled_start: '2026-01-01T10:00', scheduled_end: '2026-01-01T11:00', body: 'B'.repeat(20_001) });
    expect(maintenance.status).toBe(400);
    const mPage = unescape(await maintenance.text());
    expect(mPage).toContain('Title: at most 200 characters');
    expect(mPage).toContain('Details: at most 20,000 characters');

    const invite = await admin.post('/admin/users', { action: 'invite', email: `${'c'.repeat(400)}@acme.test`, role: 'admin' });
    expect(unescape(await invite.text())).toContain('Email: at most 320 characters');
    expect(query<{ n: number }>('select count(*) as n from app_user').n).toBe(1);
  });

  it('an escalation record refuses a 60 KB name', async () => {
    const r = await admin.post('/admin/incidents/new', { title: 'Checkout down', severity: 'P1', message: 'We are investigating checkout failures.', notify: 'no' });
    expect(r.status).toBe(303);
    const incidentPath = r.headers.get('location')!.replace(/\?.*/, '');
    const refused = await admin.post(incidentPath, { action: 'escalate', role: 'on_call', who: 'D'.repeat(60_000) });
    expect(refused.status).toBe(400);
    expect(unescape(await refused.text())).toContain('Who was told: at most 200 characters');
    expect(query<{ n: number }>('select count(*) as n from escalation_record').n).toBe(0);
  });
});
