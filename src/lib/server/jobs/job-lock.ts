// One runner per job across instances: on PostgreSQL a session advisory lock held on its own connection while the
// job runs (released by the server if the process dies); with SQLite one process owns the file, so a set suffices.
import { onPostgres, type Db } from '../db/connection.ts';
import { tryAdvisoryLock } from '../db/advisory-lock.ts';

const LOCK_NAMESPACE = 72_720_263;
const held = new Set<string>();

export interface JobLock {
  release(): Promise<void>;
}

/** The job's lock, or null when someone holds it: another instance (PostgreSQL) or this process. */
export async function acquireJobLock(db: Db, jobId: string): Promise<JobLock | null> {
  if (held.has(jobId)) return null;
  held.add(jobId);
  const local = { release: async () => { held.delete(jobId); } };
  if (!onPostgres(db)) return local;
  try {
    const lock = await tryAdvisoryLock(db, LOCK_NAMESPACE, jobId);
    if (!lock) {
      held.delete(jobId);
      return null;
    }
    return { release: async () => { try { await lock.release(); } finally { held.delete(jobId); } } };
  } catch (e) {
    held.delete(jobId);
    throw e;
  }
}
