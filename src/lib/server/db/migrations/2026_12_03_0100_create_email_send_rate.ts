// Frozen: one row holding when the next call to Resend may start, shared by every instance on a PostgreSQL database.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_send_rate')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    // Milliseconds since the epoch, by the database's clock.
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('email_send_rate').values({ id: 1, next_at: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_send_rate').execute();
}
