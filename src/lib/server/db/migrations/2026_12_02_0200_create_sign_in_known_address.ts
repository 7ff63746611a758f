// Frozen: addresses each account signed in from, exempt from the slower per-account throttle (decision record 009).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_known_address')
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('last_success_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_known_address_pk', ['email', 'ip'])
    .execute();
  await db.schema.createIndex('sign_in_attempt_at_idx').on('sign_in_attempt').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sign_in_attempt_at_idx').execute();
  await db.schema.dropTable('sign_in_known_address').execute();
}
