// One sender per batch across instances: on PostgreSQL a session advisory lock, held on its own connection for
// as long as the batch is being sent and released by the server if the process dies. A SQLite file has one
// server process, whose in-flight set already keeps a batch from being sent twice at once.
import { sql } from 'kysely';
import { onPostgres, type Db } from '../db/connection.ts';

const LOCK_NAMESPACE = 72_720_262;

export interface BatchLock {
  release(): Promise<void>;
}

const noLock: BatchLock = { release: async () => {} };

/** The batch's lock, or null when another instance is sending it right now. */
export function acquireBatchLock(db: Db, batchId: string): Promise<BatchLock | null> {
  if (!onPostgres(db)) return Promise.resolve(noLock);
  return new Promise((resolve, reject) => {
    let letGo: () => void = () => {};
    const held = new Promise<void>((r) => { letGo = r; });
    const session = db.connection().execute(async (conn) => {
      const r = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${LOCK_NAMESPACE}, hashtext(${batchId})) as ok`.execute(conn);
      if (!r.rows[0]?.ok) {
        resolve(null);
        return;
      }
      // A lock whose connection died was released by the server with it: nothing left to undo.
      resolve({ release: async () => { letGo(); await session.catch(() => {}); } });
      await held;
      await sql`select pg_advisory_unlock(${LOCK_NAMESPACE}, hashtext(${batchId}))`.execute(conn);
    });
    session.catch(reject);
  });
}
