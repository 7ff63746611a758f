// After a secret is scrubbed from a row (a sent batch's link tokens), the SQLite WAL still holds the pages it was
// first written in: a truncating checkpoint copies the scrubbed pages into the file and empties the WAL.
import { sql } from 'kysely';
import { onPostgres, type Db } from './connection.ts';

/**
 * Checkpoints and truncates the WAL without waiting for readers in other processes (a backup, sqlite3): true when
 * done, false when one was reading (try again later). PostgreSQL: nothing to do here (true).
 */
export async function truncateWal(db: Db): Promise<boolean> {
  if (onPostgres(db)) return true;
  return db.connection().execute(async (conn) => {
    // Waiting would block the event loop (better-sqlite3 is synchronous): a busy WAL is retried later instead.
    const before = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
    await sql`pragma busy_timeout = 0`.execute(conn);
    try {
      const r = await sql<{ busy: number; log: number }>`pragma wal_checkpoint(truncate)`.execute(conn);
      return r.rows[0]?.busy === 0 && r.rows[0]?.log <= 0;
    } finally {
      await sql.raw(`pragma busy_timeout = ${Number(before.rows[0]?.timeout ?? 0)}`).execute(conn);
    }
  });
}
