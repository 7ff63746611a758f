// One instance on its SQLite file: the disk fills up (writes refused at once), then, in a second run, another
// process holds the file's write lock (writes stop answering), each for 20 s.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { adminClient, firstAdmin } from '../helpers/admin-client.ts';
import { emailEnv } from '../helpers/email-flow.ts';
import { startFakeResend } from '../helpers/fake-resend.ts';
import { createFixture } from '../helpers/fixture.ts';
import { expectAdminRefusesKeepingInput, expectNoExit, expectRecovered, incidentFields, OUTAGE_MS, runOutage, seedReaders } from '../helpers/outage.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { canMount, fillDiskUnder, smallDisk } from '../helpers/small-disk.ts';

const SUBSCRIBERS = 600;

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await Promise.resolve(c()).catch(() => {});
  cleanup = [];
});

async function setUp(dataDir: string): Promise<{ server: RunningServer; addresses: string[]; file: string; fake: Awaited<ReturnType<typeof startFakeResend>> }> {
  const fixture = createFixture(Date.now());
  cleanup.push(() => fixture.cleanup());
  fixture.remove('incidents/open-api-errors.md');
  fixture.remove('maintenance/db-upgrade.md');
  const fake = await startFakeResend();
  cleanup.push(() => fake.close());
  const file = path.join(dataDir, 'status.db');
  const server = await startServer({ contentDir: fixture.dir, dataDir, env: emailEnv(fake, { RESEND_RATE_LIMIT: '2' }) });
  cleanup.push(() => server.stop());
  const seeder = openDb(file);
  const addresses = await seedReaders(seeder, SUBSCRIBERS);
  await seeder.destroy();
  return { server, addresses, file, fake };
}

it.skipIf(!canMount)(`keeps serving through ${OUTAGE_MS / 1000} s of a full disk, loses nothing and sends every email once`, async () => {
  const disk = smallDisk(64)!;
  cleanup.push(() => disk.unmount());
  const { server, addresses, file, fake } = await setUp(disk.dir);
  const admin = await firstAdmin(server);
  let filler: string | null = null;
  await runOutage({
    label: 'full disk',
    servers: [server],
    admin,
    fake,
    addresses,
    cut: async () => {
      // The write-ahead log emptied first, so every later write needs new space (a log with room would take it).
      filler = await fillDiskUnder(file);
    },
    heal: async () => { fs.rmSync(filler!, { force: true }); },
  });
}, 180_000);

it(`keeps serving through ${OUTAGE_MS / 1000} s of another process holding the write lock, loses nothing and sends every email once`, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-locked-'));
  cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { server, addresses, file, fake } = await setUp(dataDir);
  const admin = await firstAdmin(server);
  const holder = new Database(file);
  cleanup.push(() => { holder.close(); });
  await runOutage({
    label: 'write lock held elsewhere',
    servers: [server],
    admin,
    fake,
    addresses,
    cut: async () => {
      holder.pragma('busy_timeout = 10000');
      holder.exec('BEGIN EXCLUSIVE');
    },
    heal: async () => { holder.exec('ROLLBACK'); },
  });
}, 180_000);

it.skipIf(!canMount)('starts on a read-only disk, serves what the file holds, refuses writes with the banner, and takes writes again once the disk is writable', async () => {
  const disk = smallDisk(16)!;
  cleanup.push(() => disk.unmount());
  const fixture = createFixture(Date.now());
  cleanup.push(() => fixture.cleanup());
  const first = await startServer({ contentDir: fixture.dir, dataDir: disk.dir });
  const admin = await firstAdmin(first);
  expect((await admin.post('/admin/incidents/new', incidentFields('Posted before the disk went read-only'))).status).toBe(303);
  await first.stop();

  execFileSync('mount', ['-o', 'remount,ro', disk.dir]);
  let readOnly = true;
  cleanup.push(() => { if (readOnly) execFileSync('mount', ['-o', 'remount,rw', disk.dir]); });
  const server = await startServer({ contentDir: fixture.dir, dataDir: disk.dir });
  cleanup.push(() => server.stop());
  const again = adminClient(server);
  again.cookie = admin.cookie;
  // Reads work on a read-only disk: the page shows what the file holds, and says it may be stale.
  await eventually(async () => {
    const page = await server.get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('warning')).toMatch(/database unavailable since/);
    expect(await page.text()).toContain('Posted before the disk went read-only');
  }, 15_000);
  expect(server.output()).toContain('the database file is read-only');
  await expectAdminRefusesKeepingInput(again, 'Typed on a read-only disk');

  execFileSync('mount', ['-o', 'remount,rw', disk.dir]);
  readOnly = false;
  await expectRecovered([server], again, 'Posted once the disk is writable');
  expect(await (await server.get('/')).text()).not.toContain('Typed on a read-only disk');
  expectNoExit([server]);
}, 90_000);
