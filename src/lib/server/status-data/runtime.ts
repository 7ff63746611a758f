// The process's single content store, database and cached read model. The model survives a database outage:
// when admin records cannot be loaded, the last good ones are served (or none, before the first load) until
// the database answers again.
import path from 'node:path';
import { maintenanceInterval } from '../../status/maintenance.ts';
import { publishCacheBridge } from '../cache/cache-bridge.ts';
import { announceDataChange, onPeerDataChange } from '../cluster/data-sync.ts';
import { defaultSite } from '../content/content-snapshot.ts';
import { openContentStore, type ContentStore } from '../content/content-store.ts';
import type { Db } from '../db/connection.ts';
import { DatabaseUnavailableError } from '../db/db-errors.ts';
import { dbHealth } from '../db/db-health.ts';
import { processDb } from '../db/process-db.ts';
import { env } from '../env.ts';
import { delayNotice, warningHeader, type Degraded } from '../../status/degraded.ts';
import { loadAdminRecords, type AdminRecords } from './admin-records.ts';
import { mergeModel, type StatusModel } from './status-model.ts';
import { publicModel } from './public-model.ts';
import { firstSeenAt, recordFirstSeen } from '../maintenance/first-seen.ts';
import type { Maintenance } from '../../status/types.ts';
import { isPrivateSite } from '../../status/private-site.ts';

let store: ContentStore | null = null;
let admin: Promise<AdminRecords> | null = null;
/** The last admin records loaded from the database, served while it cannot be read. */
let lastGoodAdmin: AdminRecords | null = null;
let adminVersion = 0;
let watching = false;
let model: { key: string; value: StatusModel } | null = null;
const listeners = new Set<() => void>();
const emptyAdmin: AdminRecords = { incidents: [], maintenance: [], postmortems: [], overrides: new Map() };

export function contentStore(): ContentStore {
  if (!store) {
    store = openContentStore(path.resolve(env().CONTENT_DIR));
    store.onChange(() => { for (const l of listeners) l(); });
  }
  return store;
}

function invalidateAdmin(): void {
  adminVersion++;
  admin = null;
  for (const l of listeners) l();
}

function shared(): ReturnType<typeof processDb> {
  const p = processDb(env().DATABASE_URL);
  if (!watching) {
    watching = true;
    // Another instance wrote, or the database is back after an outage: load the admin records again.
    p.onOtherWrite(invalidateAdmin);
  }
  return p;
}

/** The database, once migrated; throws DatabaseUnavailableError while it has not been reachable yet. */
export async function database(): Promise<Db> {
  const p = shared();
  if (!dbHealth().ready) throw new DatabaseUnavailableError(dbHealth().reason ?? 'not reachable yet');
  return p.db;
}

/**
 * Called once an admin write that changed public data committed, with the data_version it moved to in that
 * transaction (public-write.ts): here and in this cluster's workers at once, other instances within a second.
 */
export function adminDataChanged(version: number): void {
  invalidateAdmin();
  announceDataChange();
  shared().noteOwnVersion(version);
}

// Another cluster worker wrote (decision record 022): reload before the next read, as after a write here.
onPeerDataChange(invalidateAdmin);

/** Subscribes to any change of public data (content files or admin writes). */
export function onDataChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function loadAdmin(): Promise<AdminRecords> {
  try {
    const records = await loadAdminRecords(await database());
    lastGoodAdmin = records;
    return records;
  } catch (e) {
    if (!(e instanceof DatabaseUnavailableError)) throw e;
    // Kept until the database answers again (its recovery invalidates), so requests do not each retry it.
    return lastGoodAdmin ?? emptyAdmin;
  }
}

/** How long a part is down before readers are told (DELAY_NOTICE_AFTER_SECONDS). */
export function noticeAfterMs(): number {
  return env().DELAY_NOTICE_AFTER_SECONDS * 1000;
}

/** Which parts are down right now (the database as this process sees it, the content folder). */
export function degradedNow(): Degraded {
  const h = dbHealth();
  const content = contentStore().current().unavailable;
  return {
    database: h.up ? null : { since: h.downSince ?? Date.now(), reason: h.reason ?? 'unreachable' },
    content,
  };
}

let publicCopy: { full: StatusModel; value: StatusModel } | null = null;

/** The public view of a model, derived once per model build. */
export function publicModelOf(full: StatusModel): StatusModel {
  if (publicCopy?.full !== full) publicCopy = { full, value: publicModel(full) };
  return publicCopy.value;
}

/** The current read model, rebuilt only when a source changed. */
export async function statusModel(): Promise<StatusModel> {
  const content = contentStore().current();
  const key = `${content.version}:${adminVersion}`;
  if (model?.key === key) return model.value;
  const version = adminVersion;
  admin ??= loadAdmin();
  let records: AdminRecords;
  try {
    records = await admin;
  } catch (e) {
    admin = null;
    throw e;
  }
  const value = mergeModel(content.snapshot, records, content.problems);
  if (version === adminVersion) model = { key, value };
  persistFirstSeen(content.snapshot.maintenance, records);
  return value;
}

/** Stores when maintenance files without `announced:` were first seen; a different stored time (another instance's) reloads. */
function persistFirstSeen(files: readonly Maintenance[], records: AdminRecords): void {
  const stored = records.maintenanceFirstSeen;
  if (!stored) return;
  const fresh = new Map(files.filter((m) => m.announcedAt == null && !stored.has(m.id)).map((m) => [m.id, firstSeenAt(m.id, stored)]));
  if (fresh.size === 0) return;
  for (const [id, at] of fresh) stored.set(id, at);
  void database()
    .then((db) => recordFirstSeen(db, fresh))
    .then((kept) => {
      let differs = false;
      for (const [id, at] of kept) if (fresh.get(id) !== at) { stored.set(id, at); differs = true; }
      if (differs) invalidateAdmin();
    })
    .catch((e: unknown) => {
      // Tried again on the next model build after a reload; meanwhile the time seen in memory is used.
      for (const id of fresh.keys()) stored.delete(id);
      if (!(e instanceof DatabaseUnavailableError)) console.error('maintenance first-seen:', e);
    });
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
// "last updated" move with it, and the day rolls over on one), maintenance boundaries passed, and whether
// the page shows the "updates may be delayed" notice.
publishCacheBridge({
  version(now: number): string {
    const content = contentStore().current();
    const notice = delayNotice(degradedNow(), now, noticeAfterMs()) ? 1 : 0;
    return `${content.version}:${adminVersion}:${Math.floor(now / 60_000)}:${clockBoundariesPassed(now)}:${notice}`;
  },
  warning: () => warningHeader(degradedNow()),
  content() {
    const c = contentStore().current();
    return {
      loaded: c.snapshot.site !== defaultSite,
      components: c.snapshot.components.length,
      incidents: c.snapshot.incidents.length,
      problems: c.problems.length,
      unavailable: c.unavailable,
    };
  },
  dataVersion(now: number): string {
    return `${contentStore().current().version}:${adminVersion}:${clockBoundariesPassed(now)}`;
  },
  statusModel,
  publicStatusModel: async () => publicModelOf(await statusModel()),
  isPrivate: () => isPrivateSite(contentStore().current().snapshot.site),
  onDataChange,
});
