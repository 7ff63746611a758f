// Frozen: the first schema. Portable SQL (SQLite and PostgreSQL); ids and times come from the app.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident')
    .addColumn('id', 'varchar(120)', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'varchar(2)', (c) => c.notNull())
    .addColumn('impact_override', 'varchar(16)')
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)')
    .addColumn('detected_at', 'varchar(32)')
    .addColumn('acknowledged_at', 'varchar(32)')
    .addColumn('mitigated_at', 'varchar(32)')
    .addColumn('false_positive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('repeat_of', 'varchar(120)')
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notify_subscribers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incident_update')
    .addColumn('id', 'varchar(120)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(120)', (c) => c.notNull().references('incident.id').onDelete('cascade'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('components', 'text')
    .addColumn('notify_subscribers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_update_incident_idx').on('incident_update').columns(['incident_id', 'at']).execute();

  await db.schema
    .createTable('maintenance')
    .addColumn('id', 'varchar(120)', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('scheduled_start', 'varchar(32)', (c) => c.notNull())
    .addColumn('scheduled_end', 'varchar(32)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('maintenance_update')
    .addColumn('id', 'varchar(120)', (c) => c.primaryKey())
    .addColumn('maintenance_id', 'varchar(120)', (c) => c.notNull().references('maintenance.id').onDelete('cascade'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('postmortem')
    .addColumn('id', 'varchar(120)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(120)', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('published_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('component_override')
    .addColumn('component_id', 'varchar(120)', (c) => c.primaryKey())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('set_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['component_override', 'postmortem', 'maintenance_update', 'maintenance', 'incident_update', 'incident']) {
    await db.schema.dropTable(t).execute();
  }
}
