// One server per SQLite file (decision record 028): two would each run the email worker and send every batch.
// The server's first process holds SQLite's own exclusive lock on a small side file, `<database>.server-lock`,
// for as long as it lives; the kernel releases it when the process dies, however it dies, so a killed server
// leaves no stale lock behind. Command-line tools (backup, user, content:check) never take it and keep working.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { isPostgresUrl } from './connection.ts';

export type ServerLock =
  | { ok: true; file: string | null }
  | { ok: false; refused: true; message: string }
  | { ok: false; refused: false; message: string };

/** Held for the process's lifetime: closing (or collecting) the connection would let the lock go. */
let held: SQLite.Database | null = null;

/** The SQLite file a DATABASE_URL names, or null when there is none to share (PostgreSQL, in memory). */
export function sqliteFileOf(url: string): string | null {
  if (isPostgresUrl(url)) return null;
  const file = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return file === '' || file === ':memory:' ? null : path.resolve(file);
}

/** The pid the holder wrote into the lock file's header (SQLite's user_version, bytes 60–63), or null. */
function holderPid(lockFile: string): number | null {
  try {
    const fd = fs.openSync(lockFile, 'r');
    try {
      const b = Buffer.alloc(4);
      return fs.readSync(fd, b, 0, 4, 60) === 4 && b.readUInt32BE(0) > 0 ? b.readUInt32BE(0) : null;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/**
 * Takes the server lock for `url`'s SQLite file. Refused while another live process holds it; a lock that cannot
 * be taken for another reason (a read-only or full disk) is not refused: that is an outage, and the site serves.
 */
export function takeServerLock(url: string, shownAs: string = url): ServerLock {
  const file = sqliteFileOf(url);
  if (file === null || held) return { ok: true, file: null };
  const lockFile = `${file}.server-lock`;
  let conn: SQLite.Database | null = null;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    conn = new SQLite(lockFile, { timeout: 0 });
    conn.pragma('journal_mode = OFF');
    // Exclusive locking mode: the lock taken by the first write is kept after its commit, until the process ends.
    conn.pragma('locking_mode = EXCLUSIVE');
    conn.exec('begin exclusive');
    conn.pragma(`user_version = ${process.pid}`);
    conn.exec('commit');
    held = conn;
    return { ok: true, file: lockFile };
  } catch (e) {
    conn?.close();
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      const pid = holderPid(lockFile);
      return {
        ok: false,
        refused: true,
        message: `Database ${shownAs} is in use by another Kaizen Status server (${pid === null ? 'pid unknown' : `pid ${pid}`}, lock ${lockFile}); stop that one first or set DATABASE_URL to another file: two servers on one SQLite file would both send every email.`,
      };
    }
    return { ok: false, refused: false, message: `Database ${shownAs}: could not take the server lock ${lockFile} (${e instanceof Error ? e.message : String(e)}); serving without it.` };
  }
}
