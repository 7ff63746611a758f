// Frozen: the delivery loop takes queued rows in (created_at, id) order. One fan-out gives all its rows the same
// created_at, so an index ending at created_at left every batch sorting the whole queue (quadratic in subscribers);
// ending at id, the next hundred rows are read straight from the index.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('email_outbox_queue_idx').on('email_outbox').columns(['state', 'created_at', 'id']).execute();
  await db.schema.dropIndex('email_outbox_state_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('email_outbox_state_idx').on('email_outbox').columns(['state', 'created_at']).execute();
  await db.schema.dropIndex('email_outbox_queue_idx').execute();
}
