// The last line of defence in src/cli/start.ts: a rejected promise nobody handled is logged with its stack and the
// server keeps serving; an exception nobody caught is logged with its stack, without the database password, and
// the process exits 1 for its supervisor to restart. The faults are planted by a preloaded module (signals trigger
// them), since nothing a user does should reach these handlers. PostgreSQL, for a DATABASE_URL with a password.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'hunter2-planted';
let fixture: Fixture;
let tmp: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-process-errors-'));
  database = await createTestDatabase('process_errors');
  const preload = path.join(tmp, 'faults.mjs');
  // Both errors quote the connection string, as a driver's error may.
  fs.writeFileSync(preload, [
    "function plantedRejection() { Promise.reject(new Error(`planted rejection for ${process.env.DATABASE_URL}`)); }",
    "function plantedThrow() { throw new Error(`planted exception for ${process.env.DATABASE_URL}`); }",
    "process.on('SIGHUP', () => setImmediate(plantedRejection));",
    "process.on('SIGUSR2', () => setImmediate(plantedThrow));",
  ].join('\n'));
  server = await startServer({
    contentDir: fixture.dir,
    // Trust auth: the password is never checked, only printed.
    env: { NODE_OPTIONS: `--import=${preload}`, DATABASE_URL: Object.assign(new URL(database.url), { password: PASSWORD }).href },
  });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await database?.drop();
  fixture?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('process-level handlers', () => {
  it('logs an unhandled rejection with its stack and keeps serving', async () => {
    server.process.kill('SIGHUP');
    await eventually(async () => {
      expect(server.output()).toMatch(/unhandled rejection \(still serving\): planted rejection[^\n]*\n {4}at [^\n]*plantedRejection/);
    }, 30_000);
    expect((await server.get('/')).status).toBe(200);
    expect(server.output()).not.toContain(PASSWORD);
  }, 60_000);

  it('logs an uncaught exception with its stack, without the password, and exits 1', async () => {
    const exited = new Promise<number | null>((r) => server.process.once('exit', (code) => r(code)));
    server.process.kill('SIGUSR2');
    expect(await exited).toBe(1);
    await eventually(async () => {
      expect(server.output()).toMatch(/uncaught exception \(exiting with 1 to be restarted\): planted exception for postgres:\/\/postgres:\*\*\*@[^\n]*\n {4}at [^\n]*plantedThrow/);
    }, 30_000);
    expect(server.output()).not.toContain(PASSWORD);
  }, 60_000);
});
