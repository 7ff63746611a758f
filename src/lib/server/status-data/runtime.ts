// The process's single content store, database and cached read model.
import path from 'node:path';
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

/** The database, migrated before first use. */
export async function database(): Promise<Db> {
  db ??= openDb(env().DATABASE_URL);
  migrated ??= migrateToLatest(db);
  await migrated;
  return db;
}

/** Called after every admin write that changes public data. */
export function adminDataChanged(): void {
  adminVersion++;
  admin = null;
  for (const l of listeners) l();
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
