// Fixing mistakes from admin (edit, reopen, delete), maintenance updates, and the user CLI, over the real server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;

const html = async (p: string): Promise<string> => (await server.get(p)).text();
const activeSection = (page: string): string => /<section aria-labelledby="active-incidents">[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
const local = (offsetMinutes = 0): string => new Date(Date.now() + offsetMinutes * 60_000).toISOString().slice(0, 16);

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

describe('fixing mistakes', () => {
  let path_ = '';
  let id = '';

  it('edits an update’s text and time, and the audit log keeps the old text', async () => {
    const r = await admin.post('/admin/incidents/new', { title: 'Login errors', severity: 'P2', 'component.dashboard': 'partial_outage', message: 'We are investigating reports of login erors.', notify: 'no' });
    path_ = r.headers.get('location')!.replace(/\?.*/, '');
    id = path_.split('/').pop()!;
    const page = await (await admin.get(path_)).text();
    const updateId = /name="update_id" value="([^"]+)"/.exec(page)![1]!;
    const bad = await admin.post(path_, { action: 'edit', update_id: updateId, message: '', at: local(-3) });
    expect(bad.status).toBe(400);
    const ok = await admin.post(path_, { action: 'edit', update_id: updateId, message: 'We are investigating reports of login errors.', at: local(-3) });
    expect(ok.status).toBe(303);
    const pub = await html(`/incidents/${id}`);
    expect(pub).toContain('login errors.');
    expect(pub).not.toContain('erors');
    const audit = await (await admin.get('/admin/audit')).text();
    expect(audit).toContain('update edited');
    expect(audit).toContain('login erors');
  });

  it('reopens a resolved incident, which is then open on the public page', async () => {
    await admin.post(path_, { action: 'update', status: 'resolved', message: 'Issue has been resolved. All systems operational.' });
    expect(activeSection(await html('/'))).not.toContain('Login errors');
    const reopened = await admin.post(path_, { action: 'reopen', status: 'investigating', message: 'Login errors have returned; we are investigating again.' });
    expect(reopened.status).toBe(303);
    expect(activeSection(await html('/'))).toContain('Login errors');
    expect((await (await admin.get('/admin/audit')).text())).toContain('incident reopened');
  });

  it('deletes an incident only after its id is typed', async () => {
    const wrong = await admin.post(path_, { action: 'delete', confirm: 'yes' });
    expect(wrong.status).toBe(400);
    expect((await server.get(`/incidents/${id}`)).status).toBe(200);
    const right = await admin.post(path_, { action: 'delete', confirm: id });
    expect(right.status).toBe(303);
    expect((await server.get(`/incidents/${id}`)).status).toBe(404);
    expect((await (await admin.get('/admin/audit')).text())).toContain('incident deleted');
  });

  it('refuses to change an incident that comes from a content file', async () => {
    const r = await admin.post('/admin/incidents/open-api-errors', { action: 'update', status: 'monitoring', message: 'Watching.' });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('change it in git');
  });
});

describe('repeat suggestions', () => {
  it('suggests a likely repeat on the metrics page and confirms it with one button', async () => {
    const first = await admin.post('/admin/incidents/new', { title: 'Webhook deliveries delayed', severity: 'P2', 'component.api': 'degraded_performance', detected: local(-120), acknowledged: local(-118), message: 'We are investigating delayed webhook deliveries.', notify: 'no' });
    const firstId = first.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
    await admin.post(`/admin/incidents/${firstId}`, { action: 'update', status: 'resolved', message: 'Issue has been resolved. All systems operational.' });
    const second = await admin.post('/admin/incidents/new', { title: 'Webhook deliveries delayed again', severity: 'P2', 'component.api': 'degraded_performance', message: 'We are investigating delayed webhook deliveries.', notify: 'no' });
    const secondPath = second.headers.get('location')!.replace(/\?.*/, '');
    const metrics = await (await admin.get('/admin/metrics?window=30')).text();
    const suggestions = /<ul class="card steps pad" id="repeat-suggestions">[\s\S]*?<\/ul>/.exec(metrics)?.[0] ?? '';
    expect(suggestions).toContain('Webhook deliveries delayed again');
    expect(suggestions).toContain(`name="repeat_of" value="${firstId}"`);
    const confirm = await admin.post(secondPath, { action: 'repeat', repeat_of: firstId, return_to: '/admin/metrics?window=30' });
    expect(confirm.status).toBe(303);
    expect(confirm.headers.get('location')).toBe('/admin/metrics?window=30');
    const secondId = secondPath.split('/').pop()!;
    expect(await html(`/incidents/${secondId}`)).toContain(`href="/incidents/${firstId}"`);
    const after = await (await admin.get('/admin/metrics?window=30')).text();
    expect(/<ul class="card steps pad" id="repeat-suggestions">[\s\S]*?<\/ul>/.exec(after)?.[0] ?? '').not.toContain('Webhook deliveries delayed again');
    expect((await (await admin.get('/admin/audit')).text())).toContain('repeat confirmed');
    const evil = await admin.post(secondPath, { action: 'repeat', repeat_of: firstId, return_to: 'https://evil.test/' });
    expect(evil.headers.get('location')).toBe('/admin');
  });
});

describe('maintenance from admin', () => {
  it('schedules a window, refuses one that ends before it starts, and moves it along with updates', async () => {
    const backwards = await admin.post('/admin/maintenance', { title: 'Backwards', components: ['api'], scheduled_start: local(120), scheduled_end: local(60) });
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain('End must be after the start');
    const r = await admin.post('/admin/maintenance', { title: 'Cache cluster upgrade', components: ['dashboard'], scheduled_start: local(60), scheduled_end: local(120), message: 'Upgrading the cache cluster.' });
    expect(r.status).toBe(303);
    const mPath = r.headers.get('location')!.replace(/\?.*/, '');
    expect(await html('/')).toContain('Cache cluster upgrade');
    await admin.post(mPath, { status: 'in_progress', message: 'Work has started early.' });
    const home = await html('/');
    expect(home).toMatch(/<h4 class="component-name">Dashboard<\/h4>[\s\S]*?status-under_maintenance">Under maintenance/);
    expect(home).toContain('<span class="pill pill-maintenance">In progress</span>');
    await admin.post(mPath, { status: 'completed', message: 'Done.' });
    const after = await html('/');
    expect(after).toMatch(/<h4 class="component-name">Dashboard<\/h4>[\s\S]*?status-operational">Operational/);
    expect(after).not.toContain('Cache cluster upgrade');
  });
});

describe('npm run user', () => {
  // Asynchronous, so the test's own connections to the server stay serviced while the command runs (a blocked
  // event loop let the server's keep-alive close a pooled socket unseen: "other side closed" on a busy machine).
  const user = (...args: string[]): Promise<{ status: number | null; out: string }> => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', 'src/cli/user.ts', ...args], {
      cwd: root, env: { ...process.env, DATABASE_URL: path.join(server.dataDir, 'status.db'), SITE_URL: server.url },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out }));
  });

  it('adds, lists, resets and removes users, printing one-time links and never taking a password', async () => {
    const added = await user('add', 'Second@Acme.test');
    expect(added.status).toBe(0);
    const link = /(http:\/\/\S+\/admin\/reset\?token=\w+)/.exec(added.out)![1]!;
    expect((await user('add', 'second@acme.test')).status).toBe(1);
    expect((await user('list')).out).toMatch(/second@acme\.test\s+invited/);
    const second = adminClient(server);
    const u = new URL(link);
    expect((await second.post(u.pathname + u.search, { password: 'another long passphrase', confirm: 'another long passphrase' })).status).toBe(303);
    expect((await second.get('/admin')).status).toBe(200);
    const reset = await user('reset-password', 'second@acme.test');
    expect(reset.status).toBe(0);
    expect(reset.out).toMatch(/\/admin\/reset\?token=\w+/);
    expect((await second.get('/admin')).status).toBe(303);
    expect((await user('remove', 'second@acme.test')).status).toBe(0);
    expect((await user('list')).out).not.toContain('second@acme.test');
    expect((await user('remove', 'nobody@acme.test')).out).toContain('No account for nobody@acme.test');
    expect((await user('frobnicate')).status).toBe(1);
  });
});
