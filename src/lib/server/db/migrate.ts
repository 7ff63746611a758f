// Applies the frozen migrations in name order; listed explicitly so the server bundle carries them.
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { onPostgres, type Db } from './connection.ts';
import * as m0001 from './migrations/2026_11_27_0100_create_status_tables.ts';
import * as m0002 from './migrations/2026_11_27_0200_create_auth_tables.ts';
import * as m0003 from './migrations/2026_11_27_0300_add_incident_data_breach.ts';
import * as m0035 from './migrations/2026_11_27_0350_create_data_version.ts';
import * as m0004 from './migrations/2026_11_27_0400_create_subscriber_tables.ts';
import * as m0005 from './migrations/2026_11_27_0500_create_email_tables.ts';
import * as m1201 from './migrations/2026_12_01_0100_create_job_table.ts';
import * as m1203 from './migrations/2026_12_01_0300_add_user_reminders.ts';
import * as m1222 from './migrations/2026_12_02_0200_create_sign_in_known_address.ts';
import * as m1231 from './migrations/2026_12_03_0100_create_email_send_rate.ts';
import * as m1241 from './migrations/2026_12_04_0100_create_alert_tables.ts';
import * as m1242 from './migrations/2026_12_04_0200_create_api_keys.ts';
import * as m1243 from './migrations/2026_12_04_0300_create_channel_subscriber.ts';
import * as m1251 from './migrations/2026_12_05_0100_create_maintenance_first_seen.ts';
import * as m1252 from './migrations/2026_12_05_0200_add_subscriber_locale.ts';
import * as m1261 from './migrations/2026_12_06_0100_add_user_role.ts';
import * as m1262 from './migrations/2026_12_06_0200_create_totp_tables.ts';
import * as m1263 from './migrations/2026_12_06_0300_add_audience.ts';
import * as m1271 from './migrations/2026_12_07_0100_create_passkey_tables.ts';
import * as m1272 from './migrations/2026_12_07_0200_create_sso_tables.ts';
import * as m1273 from './migrations/2026_12_07_0300_create_reader_tables.ts';
import * as m1281 from './migrations/2026_12_08_0100_add_subscriber_keyset_index.ts';
import * as m1291 from './migrations/2026_12_09_0100_add_outbox_queue_order_index.ts';
import * as m12101 from './migrations/2026_12_10_0100_create_email_provider_health.ts';

const migrations: Record<string, Migration> = {
  '2026_11_27_0100_create_status_tables': m0001,
  '2026_11_27_0200_create_auth_tables': m0002,
  '2026_11_27_0300_add_incident_data_breach': m0003,
  '2026_11_27_0350_create_data_version': m0035,
  '2026_11_27_0400_create_subscriber_tables': m0004,
  '2026_11_27_0500_create_email_tables': m0005,
  '2026_12_01_0100_create_job_table': m1201,
  '2026_12_01_0300_add_user_reminders': m1203,
  '2026_12_02_0200_create_sign_in_known_address': m1222,
  '2026_12_03_0100_create_email_send_rate': m1231,
  '2026_12_04_0100_create_alert_tables': m1241,
  '2026_12_04_0200_create_api_keys': m1242,
  '2026_12_04_0300_create_channel_subscriber': m1243,
  '2026_12_05_0100_create_maintenance_first_seen': m1251,
  '2026_12_05_0200_add_subscriber_locale': m1252,
  '2026_12_06_0100_add_user_role': m1261,
  '2026_12_06_0200_create_totp_tables': m1262,
  '2026_12_06_0300_add_audience': m1263,
  '2026_12_07_0100_create_passkey_tables': m1271,
  '2026_12_07_0200_create_sso_tables': m1272,
  '2026_12_07_0300_create_reader_tables': m1273,
  '2026_12_08_0100_add_subscriber_keyset_index': m1281,
  '2026_12_09_0100_add_outbox_queue_order_index': m1291,
  '2026_12_10_0100_create_email_provider_health': m12101,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// Any fixed number: the PostgreSQL advisory lock that serialises instances starting together.
const MIGRATION_LOCK_KEY = 72_720_261;

/**
 * Brings the schema up to date; throws with the failing migration's name. On PostgreSQL, instances
 * starting at the same moment take turns (Kysely's own lock table cannot be created concurrently).
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  if (!onPostgres(db)) return migrateWith(db);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      return await migrateWith(conn);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

async function migrateWith(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'kysely_migration', migrationLockTableName: 'kysely_migration_lock' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const what = failed ? `migration ${failed.migrationName} failed` : 'migrations could not run';
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
