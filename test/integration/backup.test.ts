// npm run backup: a consistent copy of the SQLite database taken while the server serves and takes writes, which a
// second server then serves; it never overwrites without --force and sends PostgreSQL users to pg_dump.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstAdmin } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** `npm run backup -- ...args` against `databaseUrl`, without blocking this process (the server keeps being used). */
function backup(databaseUrl: string, ...args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', 'backup', '--', ...args], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('close', (status) => resolve({ status, out }));
  });
}

let fixture: Fixture | null = null;
const servers: RunningServer[] = [];
let dir: string | null = null;
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  fixture?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  fixture = null;
  dir = null;
});

describe('npm run backup', () => {
  it('copies the live database while it is written, and the copy serves the incident', async () => {
    fixture = createFixture(Date.parse('2026-11-20T12:00:00Z'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-backup-'));
    const a = await startServer({ contentDir: fixture.dir });
    servers.push(a);
    const admin = await firstAdmin(a);
    const created = await admin.post('/admin/incidents/new', { title: 'Backup drill outage', severity: 'P2', 'component.api': 'degraded_performance', message: 'We are investigating slow API responses.', notify: 'no' });
    expect(created.status).toBe(303);
    const id = created.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;

    // Updates and page reads keep going while the backup runs.
    let writing = true;
    let updates = 0;
    let reads = 0;
    const writes = (async () => {
      while (writing) {
        const r = await admin.post(`/admin/incidents/${id}`, { action: 'update', status: updates % 2 ? 'identified' : 'monitoring', message: `Update number ${updates + 1}.` });
        expect(r.status).toBe(303);
        updates++;
        const page = await a.get('/');
        expect(page.status).toBe(200);
        reads++;
      }
    })();
    const file = path.join(dir, 'status-copy.db');
    const db = path.join(a.dataDir, 'status.db');
    const done = await backup(db, file);
    writing = false;
    await writes;
    expect(done.out.trim()).toMatch(new RegExp(`^Backed up ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\([\\d.]+ KB, \\d+ bytes\\)\\.$`));
    expect(done.status).toBe(0);
    expect(updates).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(0);
    expect(fs.readdirSync(dir)).toEqual(['status-copy.db']);

    // Never over an existing file unless asked.
    const again = await backup(db, file);
    expect(again.status).toBe(1);
    expect(again.out.trim()).toBe(`${file} already exists; pass --force to overwrite it.`);
    const forced = await backup(db, file, '--force');
    expect(forced.status, forced.out).toBe(0);

    // A second server on the copy serves the incident and its updates.
    const b = await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: file } });
    servers.push(b);
    const page = await b.get(`/incidents/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Backup drill outage');
    expect(html).toContain('Update number 1.');
  }, 120_000); // a server, a sign-in and several child processes: generous on a busy 2-core machine

  it('refuses PostgreSQL (pointing to pg_dump), a missing database and a missing FILE', () => {
    const run = (env: Record<string, string>, ...args: string[]): { status: number | null; out: string } => {
      const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/backup.ts', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
      return { status: r.status, out: r.stdout + r.stderr };
    };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-backup-'));
    const pg = run({ DATABASE_URL: 'postgres://app:s3cret@db.internal/status' }, path.join(dir, 'x.db'));
    expect(pg.status).toBe(1);
    expect(pg.out).toContain('pg_dump -Fc');
    expect(pg.out).toContain('postgres://app:***@db.internal/status');
    expect(pg.out).not.toContain('s3cret');

    const missing = path.join(dir, 'none.db');
    const none = run({ DATABASE_URL: missing }, path.join(dir, 'x.db'));
    expect(none.status).toBe(1);
    expect(none.out).toContain(`DATABASE_URL: ${missing} does not exist`);
    expect(fs.existsSync(missing)).toBe(false);

    const usage = run({ DATABASE_URL: missing });
    expect(usage.status).toBe(2);
    expect(usage.out).toContain('usage: npm run backup -- FILE [--force]');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
