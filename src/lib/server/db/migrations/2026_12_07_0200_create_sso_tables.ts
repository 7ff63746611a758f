// Frozen: single sign-on (OpenID Connect). A flow started in a browser waits here for the provider's answer (only
// the hash of its cookie token is stored; single use, 10 minutes); an account signed in through the provider keeps
// its subject there.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_flow')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(128)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
    .addColumn('next', 'varchar(2048)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('app_user').addColumn('sso_subject', 'varchar(255)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('sso_subject').execute();
  await db.schema.dropTable('sso_flow').execute();
}
