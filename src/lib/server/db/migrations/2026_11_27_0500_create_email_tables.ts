// Frozen: the email outbox (one row per recipient), its messages, send batches and the notified-once ledger.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_message')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('email_batch')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('payload', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('first_attempt_at', 'varchar(32)')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_batch_state_idx').on('email_batch').columns(['state', 'next_attempt_at']).execute();

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('message_id', 'varchar(64)', (c) => c.notNull().references('email_message.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'varchar(64)', (c) => c.references('subscriber.id').onDelete('set null'))
    .addColumn('to_address', 'varchar(320)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('batch_id', 'varchar(64)', (c) => c.references('email_batch.id').onDelete('set null'))
    .addColumn('link_token_hash', 'varchar(64)')
    .addColumn('provider_id', 'varchar(128)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('email_outbox_state_idx').on('email_outbox').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('email_outbox_batch_idx').on('email_outbox').column('batch_id').execute();
  await db.schema.createIndex('email_outbox_token_idx').on('email_outbox').column('link_token_hash').execute();
  await db.schema.createIndex('email_outbox_message_idx').on('email_outbox').column('message_id').execute();
  await db.schema.createIndex('email_outbox_subscriber_idx').on('email_outbox').column('subscriber_id').execute();

  await db.schema
    .createTable('email_notification')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('message_id', 'varchar(64)')
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['email_notification', 'email_outbox', 'email_batch', 'email_message']) await db.schema.dropTable(t).execute();
}
