// Frozen: recipients are read in pages of confirmed subscribers ordered by id (keyset), straight from this index.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('subscriber_state_id_idx').on('subscriber').columns(['state', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('subscriber_state_id_idx').execute();
}
