// One server per SQLite file: a second server on the same file refuses to start (it would run a second email worker
// and send every batch again), naming the file and the server that has it; command-line tools keep working beside
// it; a server killed outright leaves no lock behind; a cluster's workers share their primary's lock.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setUp(): { fixture: Fixture; dataDir: string } {
  const fixture = createFixture(Date.now());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-lock-'));
  cleanups.push(() => fixture.cleanup(), () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return { fixture, dataDir };
}

async function started(s: Promise<RunningServer>): Promise<RunningServer> {
  const server = await s;
  cleanups.push(() => server.stop());
  return server;
}

/** Starts a server that is expected not to start: its exit code and output. */
async function refused(s: Promise<RunningServer>): Promise<string> {
  const outcome = await s.then(async (server) => { cleanups.push(() => server.stop()); return null; }, (e: Error) => e.message);
  expect(outcome, 'the second server started').not.toBeNull();
  return outcome!;
}

it('refuses a second server on the same SQLite file while the first keeps serving, and starts one after the first is killed', async () => {
  const { fixture, dataDir } = setUp();
  const first = await started(startServer({ contentDir: fixture.dir, dataDir }));
  const file = path.join(dataDir, 'status.db');

  const message = await refused(startServer({ contentDir: fixture.dir, dataDir }));
  expect(message).toMatch(/^server exited with 1:/);
  const line = message.split('\n').find((l) => l.includes('in use by another'));
  expect(line).toBe(`Database ${file} is in use by another Kaizen Status server (pid ${first.process.pid}, lock ${file}.server-lock); stop that one first or set DATABASE_URL to another file: two servers on one SQLite file would both send every email.`);
  expect((await first.get('/')).status).toBe(200);

  // Command-line tools open the same file beside the server.
  const backup = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/backup.ts', path.join(dataDir, 'copy.db')], {
    cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: file },
  });
  expect(backup.status, backup.stderr).toBe(0);
  expect((await first.get('/')).status).toBe(200);

  // Killed outright: nothing ran to remove anything, and yet the next server starts.
  const exited = new Promise((r) => first.process.once('exit', r));
  first.process.kill('SIGKILL');
  await exited;
  const next = await started(startServer({ contentDir: fixture.dir, dataDir }));
  expect((await next.get('/')).status).toBe(200);
}, 240_000);

it('lets a cluster\'s workers share one file and refuses a second server beside the cluster', async () => {
  const { fixture, dataDir } = setUp();
  const cluster = await started(startServer({ contentDir: fixture.dir, dataDir, env: { WEB_CONCURRENCY: '2' } }));
  expect(cluster.output()).toContain('(2 worker processes)');
  const message = await refused(startServer({ contentDir: fixture.dir, dataDir }));
  expect(message).toContain(`is in use by another Kaizen Status server (pid ${cluster.process.pid}, `);
  expect((await cluster.get('/')).status).toBe(200);
}, 240_000);
