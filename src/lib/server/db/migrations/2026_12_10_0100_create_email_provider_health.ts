// Frozen: one row saying since when calls to Resend keep failing (timeouts, 5xx, network, 429), for the admin
// dashboard of every instance; cleared by the next call Resend answers.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_provider_health')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('failing_since', 'text')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'text')
    .execute();
  await db.insertInto('email_provider_health').values({ id: 1, failing_since: null, last_error: null, updated_at: null }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_provider_health').execute();
}
