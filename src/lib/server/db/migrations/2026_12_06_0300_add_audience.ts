// Frozen: who may see an admin-posted incident, and components marked team-only in admin.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incident').addColumn('audience', 'text', (c) => c.notNull().defaultTo('public')).execute();
  await db.schema
    .createTable('component_audience')
    .addColumn('component_id', 'text', (c) => c.primaryKey())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('component_audience').execute();
  await db.schema.alterTable('incident').dropColumn('audience').execute();
}
