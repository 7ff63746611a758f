// Frozen: chat and webhook subscribers (webhook, Slack, Teams, Discord), each per component like email.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_subscriber')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    // JSON array of component ids, or null for every component.
    .addColumn('components', 'text')
    // pending (public, awaiting confirmation) | active | disabled
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    // Standard Webhooks signing secret (whsec_…): needed in the clear to sign, shown once at creation.
    .addColumn('signing_secret', 'text', (c) => c.notNull())
    .addColumn('confirm_token_hash', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channel_subscriber_confirm').on('channel_subscriber').column('confirm_token_hash').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_subscriber').execute();
}
