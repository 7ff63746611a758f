// Degraded but up: a content folder that vanishes, a database that is unreachable from the very start, and the
// health endpoints load balancers read.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { firstAdmin } from '../helpers/admin-client.ts';
import { createFixture } from '../helpers/fixture.ts';
import { createTestDatabase, postgresAddress } from '../helpers/postgres.ts';
import { eventually, startServer } from '../helpers/server.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';

const root = path.resolve(import.meta.dirname, '../..');

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await Promise.resolve(c()).catch(() => {});
  cleanup = [];
});

interface Ready {
  ready: boolean;
  degraded: boolean;
  checks: Record<string, { ok: boolean; reason?: string | null; unavailable_since?: string | null }>;
}

describe('a content folder that goes away', () => {
  it('keeps serving the last good content, says so in admin, the log and /readyz, and takes the folder back', async () => {
    const fixture = createFixture(Date.now());
    cleanup.push(() => fixture.cleanup());
    const server = await startServer({ contentDir: fixture.dir });
    cleanup.push(() => server.stop());
    const admin = await firstAdmin(server);
    const before = await (await server.get('/')).text();
    expect(before).toContain('Acme Cloud');
    expect(before).toContain('Elevated API error rates');

    const moved = `${fixture.dir}-moved`;
    fs.renameSync(fixture.dir, moved);
    cleanup.push(() => { if (fs.existsSync(moved)) fs.renameSync(moved, fixture.dir); });
    await eventually(async () => expect(server.output()).toContain('serving the last good copy'), 10_000);

    const r = await server.get('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('warning')).toMatch(/^110 - "Response may be stale: content unavailable since /);
    const page = await r.text();
    expect(page).toContain('Acme Cloud');
    expect(page).toContain('Elevated API error rates');
    expect(page).not.toContain('<title>Status');
    const dashboard = await (await admin.get('/admin')).text();
    expect(dashboard).toMatch(/Content folder unavailable since \d\d:\d\d/);
    expect(dashboard).toContain('serves the last good copy');
    const ready = (await (await server.get('/readyz')).json()) as Ready;
    expect(ready.ready).toBe(true);
    expect(ready.degraded).toBe(true);
    expect(ready.checks.content!.ok).toBe(false);
    expect(ready.checks.content!.reason).toBe('content folder missing or empty: serving the last good copy');
    expect(JSON.stringify(ready)).not.toContain(fixture.dir);

    fs.renameSync(moved, fixture.dir);
    await eventually(async () => expect(server.output()).toMatch(/is back after \d+ s/), 10_000);
    await eventually(async () => expect((await server.get('/')).headers.get('warning')).toBeNull(), 5000);
    // Edits after the folder came back are watched again.
    fixture.write('incidents/open-api-errors.md', fs.readFileSync(path.join(fixture.dir, 'incidents/open-api-errors.md'), 'utf8').replace('Elevated API error rates', 'Elevated API error rates, fixed title'));
    await eventually(async () => expect(await (await server.get('/')).text()).toContain('fixed title'), 10_000);
    expect(await (await admin.get('/admin')).text()).not.toContain('Content folder unavailable');
  }, 120_000); // a server, a sign-in and several child processes: generous on a busy 2-core machine

  it('refuses to start without its content folder, naming it', () => {
    const missing = path.join(root, 'no-such-content-folder');
    const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', path.join(root, 'src/cli/start.ts')], {
      cwd: root, encoding: 'utf8', timeout: 30_000,
      env: { ...process.env, SKIP_BUILD: '1', CONTENT_DIR: missing, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: ':memory:' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`CONTENT_DIR: ${missing}`);
    expect(r.stderr).toContain('is not a folder');
  });
});

describe('a database unreachable from the start', () => {
  it('starts anyway, serves the content with the delay notice, and shows what the database holds once it answers', async () => {
    const database = await createTestDatabase('kz_late');
    cleanup.push(database.drop);
    // An incident another instance posted before this one started.
    const direct = openDb(database.url);
    await migrateToLatest(direct);
    const at = new Date().toISOString();
    await direct.insertInto('incident').values({
      id: 'posted-elsewhere', title: 'Search results delayed', severity: 'P2', impact_override: null, components: JSON.stringify({ api: 'degraded_performance' }),
      started_at: null, detected_at: at, acknowledged_at: at, mitigated_at: null, false_positive: 0, repeat_of: null, body: '', notify_subscribers: 0, data_breach: 0, audience: 'public', created_at: at, updated_at: at,
    }).execute();
    await direct.insertInto('incident_update').values({ id: 'u1', incident_id: 'posted-elsewhere', at, status: 'investigating', message: 'We are investigating delayed search results.', components: null, notify_subscribers: 0, created_at: at }).execute();
    await direct.destroy();
    const proxy = await startTcpProxy(postgresAddress().host, postgresAddress().port);
    cleanup.push(() => proxy.close());
    await proxy.setMode('refuse');
    const fixture = createFixture(Date.now());
    cleanup.push(() => fixture.cleanup());
    const url = proxy.url(database.url);
    const server = await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: url, DELAY_NOTICE_AFTER_SECONDS: '1' } });
    cleanup.push(() => server.stop());
    expect(server.output()).toContain('unavailable at start (connection refused); serving the content files and retrying');

    const health = await server.get('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'kaizen-status' });
    const ready = (await (await server.get('/readyz')).json()) as Ready;
    expect(ready).toMatchObject({ ready: true, degraded: true });
    expect(ready.checks.database).toMatchObject({ ok: false, reason: 'connection refused' });

    await eventually(async () => {
      const r = await server.get('/');
      expect(r.status).toBe(200);
      const html = await r.text();
      expect(html).toContain('Elevated API error rates');
      expect(html).toContain('Updates may be delayed');
      // Not in memory yet: nothing was ever read from the database.
      expect(html).not.toContain('Search results delayed');
    }, 10_000);
    // Sign-in needs the database: a clear answer, never a 500.
    const login = await server.get('/admin/login', {
      method: 'POST', headers: { origin: new URL(server.url).origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'oncall@acme.test', password: 'whatever it is' }),
    });
    expect(login.status).toBe(503);
    expect(await login.text()).toContain('Signing in needs the database');
    // So does subscribing: the address stays in the form.
    const sub = await server.get('/subscribe', {
      method: 'POST', headers: { origin: new URL(server.url).origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'reader@example.com' }),
    });
    expect(sub.status).toBe(503);
    const subPage = await sub.text();
    expect(subPage).toContain('Subscriptions cannot be saved right now');
    expect(subPage).toContain('value="reader@example.com"');

    await proxy.setMode('forward');
    await eventually(async () => expect(server.output()).toContain('/admin/setup?token='), 15_000);
    await eventually(async () => {
      const html = await (await server.get('/')).text();
      expect(html).not.toContain('Updates may be delayed');
      expect(html).toContain('Search results delayed');
    }, 10_000);
    const signedIn = await firstAdmin(server);
    expect((await signedIn.get('/admin')).status).toBe(200);
    const after = (await (await server.get('/readyz')).json()) as Ready;
    expect(after).toMatchObject({ ready: true });
    expect(after.checks.database!.ok).toBe(true);
  }, 60_000);
});
