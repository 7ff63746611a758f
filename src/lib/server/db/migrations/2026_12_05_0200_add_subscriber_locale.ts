// Frozen: the interface language a subscriber subscribed in, so their emails are written in it (null: the site's default).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscriber').addColumn('locale', 'varchar(8)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscriber').dropColumn('locale').execute();
}
