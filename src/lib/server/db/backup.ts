// A consistent copy of the SQLite database while the server keeps serving, through SQLite's online backup API.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from './connection.ts';

export type BackupResult = { ok: true; path: string; bytes: number } | { ok: false; error: string };

/** The SQLite file a DATABASE_URL names (a path, or file:path). */
export function sqliteFile(url: string): string {
  return url.startsWith('file:') ? url.slice('file:'.length) : url;
}

/**
 * Copies the database at `source` to `dest`: all pages in one step, so the copy is one moment's state even while
 * other connections write. Written next to `dest` and renamed into place, so a failed backup leaves no half file
 * (and, with `force`, the previous backup intact).
 */
export async function backupSqlite(source: string, dest: string, options: { force: boolean }): Promise<BackupResult> {
  const from = path.resolve(source);
  const to = path.resolve(dest);
  if (!fs.statSync(from, { throwIfNoEntry: false })?.isFile()) return { ok: false, error: `DATABASE_URL: ${source}${source === from ? '' : ` (${from})`} does not exist; there is nothing to back up.` };
  if (from === to) return { ok: false, error: `${dest} is the database itself; name another file.` };
  const existing = fs.statSync(to, { throwIfNoEntry: false });
  if (existing?.isDirectory()) return { ok: false, error: `${dest} is a folder; name a file, e.g. ${path.join(dest, 'status-backup.db')}.` };
  if (existing && !options.force) return { ok: false, error: `${dest} already exists; pass --force to overwrite it.` };
  if (!fs.statSync(path.dirname(to), { throwIfNoEntry: false })?.isDirectory()) return { ok: false, error: `${path.dirname(dest)}: no such folder for ${dest}.` };

  const partial = `${to}.partial-${process.pid}`;
  let db: SQLite.Database | null = null;
  try {
    db = new SQLite(from, { fileMustExist: true });
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    await db.backup(partial, { progress: () => 0x7fffffff });
    const copy = new SQLite(partial, { fileMustExist: true });
    try {
      // The copy's journal mode is the source's (WAL): fold it into one self-contained file.
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy fails SQLite's quick_check: ${String(check)}`);
    } finally {
      copy.close();
    }
    fs.renameSync(partial, to);
    return { ok: true, path: to, bytes: fs.statSync(to).size };
  } catch (e) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(f, { force: true });
    return { ok: false, error: `backup of ${source} to ${dest} failed: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    db?.close();
  }
}
