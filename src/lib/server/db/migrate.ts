// Applies the frozen migrations in name order; listed explicitly so the server bundle carries them.
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Db } from './connection.ts';
import * as m0001 from './migrations/2026_11_27_0100_create_status_tables.ts';
import * as m0002 from './migrations/2026_11_27_0200_create_auth_tables.ts';
import * as m0003 from './migrations/2026_11_27_0300_add_incident_data_breach.ts';

const migrations: Record<string, Migration> = {
  '2026_11_27_0100_create_status_tables': m0001,
  '2026_11_27_0200_create_auth_tables': m0002,
  '2026_11_27_0300_add_incident_data_breach': m0003,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'kysely_migration', migrationLockTableName: 'kysely_migration_lock' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
