// A small tmpfs disk of the test's own, to fill up or make read-only without touching anything else (needs root;
// used by the outage and email disk tests).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { eventually } from './server.ts';

/** Mounts a tmpfs of `megabytes`; null where mounting is not allowed. */
export function smallDisk(megabytes: number): { dir: string; unmount: () => void } | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return { dir, unmount: () => { execFileSync('umount', [dir]); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export const canMount = (() => {
  const d = smallDisk(1);
  d?.unmount();
  return d !== null;
})();

/**
 * Empties the SQLite file's write-ahead log (so every later write needs new space), then fills every free byte of
 * the disk holding it; returns the filler's path (remove it to free the disk).
 */
export async function fillDiskUnder(dbFile: string): Promise<string> {
  const other = new Database(dbFile);
  try {
    await eventually(async () => {
      const [r] = other.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      expect(r!.busy).toBe(0);
    }, 10_000);
  } finally {
    other.close();
  }
  return fillDisk(path.dirname(dbFile));
}

/** Fills every free byte of the disk holding `dir`; returns the filler's path (remove it to free the disk). */
export function fillDisk(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}
