// A PostgreSQL session advisory lock held on a connection of its own for as long as the caller works (a batch
// being sent, a job being run), and released by the server if the process or the connection dies.
import { sql } from 'kysely';
import type { Db } from './connection.ts';

export interface AdvisoryLock {
  release(): Promise<void>;
}

/** The lock on (namespace, key), or null when another session holds it. PostgreSQL only. */
export function tryAdvisoryLock(db: Db, namespace: number, key: string): Promise<AdvisoryLock | null> {
  return new Promise((resolve, reject) => {
    let letGo: () => void = () => {};
    const held = new Promise<void>((r) => { letGo = r; });
    const session = db.connection().execute(async (conn) => {
      const r = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${namespace}, hashtext(${key})) as ok`.execute(conn);
      if (!r.rows[0]?.ok) {
        resolve(null);
        return;
      }
      // A lock whose connection died was released by the server with it: nothing left to undo.
      resolve({ release: async () => { letGo(); await session.catch(() => {}); } });
      await held;
      await sql`select pg_advisory_unlock(${namespace}, hashtext(${key}))`.execute(conn);
    });
    session.catch(reject);
  });
}
