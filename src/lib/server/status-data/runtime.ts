// The process's single content store, database and cached read model.
import path from 'node:path';
import { maintenanceInterval } from '../../status/maintenance.ts';
import { publishCacheBridge } from '../cache/cache-bridge.ts';
import { openContentStore, type ContentStore } from '../content/content-store.ts';
import { openDb, type Db } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { env } from '../env.ts';
import { loadAdminRecords, type AdminRecords } from './admin-records.ts';
import { mergeModel, type StatusModel } from './status-model.ts';

let store: ContentStore | null = null;
let db: Db | null = null;
let migrated: Promise<unknown> | null = null;
let admin: Promise<AdminRecords> | null = null;
let adminVersion = 0;
let model: { key: string; value: StatusModel } | null = null;
const listeners = new Set<() => void>();

export function contentStore(): ContentStore {
  if (!store) {
    store = openContentStore(path.resolve(env().CONTENT_DIR));
    store.onChange(() => { for (const l of listeners) l(); });
  }
  return store;
}

/** The database, migrated before first use; starts watching for other instances' writes. */
export async function database(): Promise<Db> {
  db ??= openDb(env().DATABASE_URL);
  migrated ??= migrateToLatest(db).then(() => watchDataVersion(db!));
  await migrated;
  return db;
}

let seenDataVersion: number | null = null;

function invalidateAdmin(): void {
  adminVersion++;
  admin = null;
  for (const l of listeners) l();
}

/** Polls the shared counter once a second so writes made by another instance show here too. */
function watchDataVersion(conn: Db): void {
  const check = async (): Promise<void> => {
    const row = await conn.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirst();
    const v = row ? Number(row.version) : 0;
    if (seenDataVersion !== null && v !== seenDataVersion) invalidateAdmin();
    seenDataVersion = v;
  };
  void check().catch(() => {});
  setInterval(() => void check().catch(() => {}), 1000).unref();
}

/** Called after every admin write that changes public data: here at once, elsewhere within a second. */
export function adminDataChanged(): void {
  invalidateAdmin();
  if (db) {
    void db
      .updateTable('data_version')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', 1)
      .returning('version')
      .executeTakeFirst()
      .then((row) => {
        // Our own bump, and nobody else's in between: the poll need not reload what we just invalidated.
        if (row && seenDataVersion !== null && Number(row.version) === seenDataVersion + 1) seenDataVersion = Number(row.version);
      })
      .catch(() => {});
  }
}

/** Subscribes to any change of public data (content files or admin writes). */
export function onDataChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current read model, rebuilt only when a source changed. */
export async function statusModel(): Promise<StatusModel> {
  const content = contentStore().current();
  const key = `${content.version}:${adminVersion}`;
  if (model?.key === key) return model.value;
  const version = adminVersion;
  admin ??= database().then(loadAdminRecords);
  let records: AdminRecords;
  try {
    records = await admin;
  } catch (e) {
    admin = null;
    throw e;
  }
  const value = mergeModel(content.snapshot, records, content.problems);
  if (version === adminVersion) model = { key, value };
  return value;
}

/** Instants at which maintenance starts or ends: public pages change then without any write. */
let boundaries: { key: string; times: number[] } | null = null;

function clockBoundariesPassed(now: number): number {
  const m = model;
  if (!m) return 0;
  if (boundaries?.key !== m.key) {
    const times = m.value.maintenance.flatMap((x) => {
      const iv = maintenanceInterval(x);
      return [x.scheduledStart, x.scheduledEnd, iv.start, iv.end];
    });
    boundaries = { key: m.key, times: times.sort((a, b) => a - b) };
  }
  let n = 0;
  for (const t of boundaries.times) if (t <= now) n++;
  return n;
}

// What the response cache in front of Astro compares: data versions, the minute (durations and
// "last updated" move with it, and the day rolls over on one) and maintenance boundaries passed.
publishCacheBridge({
  version(now: number): string {
    const content = contentStore().current();
    return `${content.version}:${adminVersion}:${Math.floor(now / 60_000)}:${clockBoundariesPassed(now)}`;
  },
  dataVersion(now: number): string {
    return `${contentStore().current().version}:${adminVersion}:${clockBoundariesPassed(now)}`;
  },
  statusModel,
});
