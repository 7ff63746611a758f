// Admin writes to public data (incidents, maintenance, post-mortems, component status): one transaction that
// also moves the shared data_version counter, so committing the write is what tells other instances (decision
// record 028). A counter that cannot move fails the write, which is then not committed either.
import type { Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';
import { adminDataChanged } from './runtime.ts';

/** Moves data_version inside `trx` and returns its new value; throws when the counter's row is missing. */
export async function moveDataVersion(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .updateTable('data_version')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .returning('version')
    .executeTakeFirst();
  if (!row) throw new Error('data_version: the counter row (id 1) is missing; other instances would never see this write');
  return Number(row.version);
}

/**
 * Runs `write` and the counter's move in one transaction (the move last: the counter's row lock is held only
 * until the commit), then refreshes this process and this cluster's other workers.
 */
export async function writePublicData<T>(db: Db, write: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  let version = 0;
  const result = await db.transaction().execute(async (trx) => {
    const value = await write(trx);
    version = await moveDataVersion(trx);
    return value;
  });
  adminDataChanged(version);
  return result;
}
