// DATABASE_URL's password never reaches the logs: not at start, not in the migration line, not while the database is
// unreachable, not in a settings error, not from the user CLI.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { createTestDatabase, POSTGRES_BASE } from '../helpers/postgres.ts';
import { eventually, freePort, startServer, type RunningServer } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 's3cret-pass';
/** The machine's PostgreSQL with a password in the URL (trust auth ignores it). */
const withPassword = (url: string): string => Object.assign(new URL(url), { username: 'postgres', password: PASSWORD }).href;

let fixture: Fixture | null = null;
let server: RunningServer | null = null;
let drop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await server?.stop();
  await drop?.();
  fixture?.cleanup();
  server = null;
  drop = null;
  fixture = null;
});

describe('DATABASE_URL passwords in the output', () => {
  it('are replaced by *** in the start and migration lines', async () => {
    fixture = createFixture(Date.parse('2026-11-20T12:00:00Z'));
    const db = await createTestDatabase('redact');
    drop = db.drop;
    const url = withPassword(db.url);
    server = await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: url } });
    expect((await server.get('/')).status).toBe(200);
    const out = server.output();
    expect(out).toMatch(/Database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/\w+: applied /);
    expect(out).toContain('database: postgres://postgres:***@127.0.0.1:5432/');
    expect(out).not.toContain(PASSWORD);
  });

  it('are replaced while the database is unreachable', async () => {
    fixture = createFixture(Date.parse('2026-11-20T12:00:00Z'));
    const url = Object.assign(new URL(withPassword(POSTGRES_BASE)), { port: String(await freePort()) }).href;
    server = await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: url } });
    await eventually(async () => expect(server!.output()).toContain('unavailable at start'));
    expect(server.output()).toContain('postgres://postgres:***@127.0.0.1:');
    expect(server.output()).not.toContain(PASSWORD);
  });

  it('are replaced in a settings error and in the user CLI', async () => {
    const bad = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/start.ts'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, SKIP_BUILD: '1', DATABASE_URL: `mysql://app:${PASSWORD}@db/status` },
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('DATABASE_URL: must be a SQLite file path');
    expect(bad.stderr + bad.stdout).toContain('mysql://app:***@db/status');
    expect(bad.stderr + bad.stdout).not.toContain(PASSWORD);

    const url = Object.assign(new URL(withPassword(POSTGRES_BASE)), { port: String(await freePort()) }).href;
    const user = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/user.ts', 'list'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: url },
    });
    expect(user.status).toBe(1);
    expect(user.stderr + user.stdout).not.toContain(PASSWORD);
  });
});
