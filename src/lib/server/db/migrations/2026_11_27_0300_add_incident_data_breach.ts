// Frozen: a data breach takes a P0 straight to the CTO on the escalation path.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incident').addColumn('data_breach', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incident').dropColumn('data_breach').execute();
}
