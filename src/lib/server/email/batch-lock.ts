// One sender per batch across instances: on PostgreSQL an advisory lock held while the batch is being sent. A
// SQLite file has one server process, whose in-flight set already keeps a batch from being sent twice at once.
import { onPostgres, type Db } from '../db/connection.ts';
import { tryAdvisoryLock, type AdvisoryLock } from '../db/advisory-lock.ts';

const LOCK_NAMESPACE = 72_720_262;

export type BatchLock = AdvisoryLock;

const noLock: BatchLock = { release: async () => {} };

/** The batch's lock, or null when another instance is sending it right now. */
export function acquireBatchLock(db: Db, batchId: string): Promise<BatchLock | null> {
  if (!onPostgres(db)) return Promise.resolve(noLock);
  return tryAdvisoryLock(db, LOCK_NAMESPACE, batchId);
}
