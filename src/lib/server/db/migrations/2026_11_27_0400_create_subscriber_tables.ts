// Frozen: email subscribers (double opt-in, component choice) and subscribe attempts for abuse limits.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscriber')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('components', 'text')
    .addColumn('suppressed_reason', 'varchar(32)')
    .addColumn('last_confirmation_at', 'varchar(32)')
    .addColumn('confirmed_at', 'varchar(32)')
    .addColumn('unsubscribed_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriber_state_idx').on('subscriber').column('state').execute();

  await db.schema
    .createTable('subscribe_attempt')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscribe_attempt_email_idx').on('subscribe_attempt').columns(['email', 'at']).execute();
  await db.schema.createIndex('subscribe_attempt_ip_idx').on('subscribe_attempt').columns(['ip', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscribe_attempt').execute();
  await db.schema.dropTable('subscriber').execute();
}
