// Frozen: when each maintenance file (content/maintenance) without an `announced:` time was first seen, so the
// API and the feeds date its announcement the same way across restarts.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('maintenance_first_seen')
    .addColumn('maintenance_id', 'text', (c) => c.primaryKey())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('maintenance_first_seen').execute();
}
