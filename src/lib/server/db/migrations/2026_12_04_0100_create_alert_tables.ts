// Frozen: alerts received from Alertmanager or the generic webhook, and one row per alert group (its incident).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alert_group')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('source', 'varchar(20)', (c) => c.notNull())
    .addColumn('group_key', 'varchar(1000)', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'varchar(4)', (c) => c.notNull())
    .addColumn('components', 'text', (c) => c.notNull())
    // The incident made for the group (null: only recorded, or a draft waiting for a person).
    .addColumn('incident_id', 'varchar(120)')
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    // Why the last delivery published nothing, for admin.
    .addColumn('note', 'text')
    .addColumn('last_update_id', 'varchar(36)')
    .addColumn('resolve_due_at', 'varchar(40)')
    .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    .addUniqueConstraint('alert_group_source_key_unique', ['source', 'group_key'])
    .execute();
  await db.schema.createIndex('alert_group_due_idx').on('alert_group').column('resolve_due_at').execute();
  await db.schema
    .createTable('alert')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('group_id', 'varchar(36)', (c) => c.notNull().references('alert_group.id').onDelete('cascade'))
    .addColumn('fingerprint', 'varchar(200)', (c) => c.notNull())
    .addColumn('starts_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('ends_at', 'varchar(40)')
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('received_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
    // One row per firing of an alert: redeliveries and retries are idempotent.
    .addUniqueConstraint('alert_fingerprint_starts_unique', ['fingerprint', 'starts_at'])
    .execute();
  await db.schema.createIndex('alert_group_idx').on('alert').column('group_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alert').execute();
  await db.schema.dropTable('alert_group').execute();
}
