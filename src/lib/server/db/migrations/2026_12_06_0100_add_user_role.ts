// Frozen: what each account may do (viewer, responder, admin). Accounts that existed could do everything: admin.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('role', 'varchar(16)', (c) => c.notNull().defaultTo('admin')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('role').execute();
}
