// The process's one database handle, shared by the server script and the Astro bundle (one connection, one
// SQLite lock holder), with a supervisor: migrations retried until the database answers, other instances' writes
// watched through the data_version counter, and a write probe with backoff while the database is down.
import { openDbWithProbe, type Db } from './connection.ts';
import { isDatabaseUnavailable, unavailableReason } from './db-errors.ts';
import { dbHealth, markDbReady, markDbSupervised, onDbDown, onDbRecovered, reportDbUnavailable, reportDbWriteOk } from './db-health.ts';
import { migrateToLatest } from './migrate.ts';
import { redactSecrets } from './redact-url.ts';
import { logBackgroundError } from '../log/background-error.ts';

/**
 * How often other instances' writes are looked for while the database is up: a one-row primary-key read, cheap
 * at 4 a second, and what bounds how long a post on one instance takes to show on the others (target 1.5 s).
 */
const POLL_MS = 250;
/** Probing while down: 250 ms, doubling, at most this far apart (the longest a recovery goes unnoticed). */
const PROBE_MAX_MS = 5000;
const PROBE_FIRST_MS = 250;

export type FirstAttempt = { ok: true; applied: string[] } | { ok: false; unavailable: true; reason: string };

export interface ProcessDb {
  db: Db;
  url: string;
  /** The first migration attempt: applied, or unavailable (retried in the background). Rejects on a broken migration. */
  firstAttempt: Promise<FirstAttempt>;
  /** Resolves once migrated (never rejects; may wait for the database to come back). */
  whenReady(): Promise<void>;
  /** Subscribes to writes made by another instance (seen within about a second). */
  onOtherWrite(listener: () => void): () => void;
  /** The data_version our own committed write moved to (the write's transaction moved it): no reload for it. */
  noteOwnVersion(version: number): void;
  stop(): Promise<void>;
}

const KEY = Symbol.for('kaizen-status.process-db');

type Log = (line: string) => void;

function start(url: string, print: Log): ProcessDb {
  // Driver messages may quote the connection string: never its password.
  const log: Log = (line) => print(redactSecrets(line, url));
  const { db, probeWrite } = openDbWithProbe(url);
  const others = new Set<() => void>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let seen: number | null = null;
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((r) => { readyResolve = r; });

  const later = (fn: () => Promise<void>, ms: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void fn(), ms);
    timer.unref();
  };

  const offDown = onDbDown((h, cause) => log(`database: unavailable since ${new Date(h.downSince ?? Date.now()).toISOString()} (${h.reason}: ${cause instanceof Error ? cause.message : String(cause)}); public pages keep serving the last good data, writes are refused until it answers`));
  const offUp = onDbRecovered(() => {
    log('database: answering again; resuming');
    for (const l of others) l();
  });

  const poll = async (): Promise<void> => {
    if (!dbHealth().up) return probe(PROBE_FIRST_MS);
    try {
      const row = await db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirst();
      const v = row ? Number(row.version) : 0;
      if (seen !== null && v !== seen) for (const l of others) l();
      seen = v;
    } catch {
      // Reported to db-health by the monitored driver; the next tick probes if it was an outage.
    }
    later(poll, POLL_MS);
  };

  const probe = async (wait: number): Promise<void> => {
    try {
      await probeWrite();
      reportDbWriteOk();
      seen = null;
      later(poll, 0);
    } catch (e) {
      if (isDatabaseUnavailable(e)) reportDbUnavailable(e);
      later(() => probe(Math.min(PROBE_MAX_MS, wait * 2)), wait);
    }
  };

  const migrate = async (wait: number, first: boolean): Promise<FirstAttempt> => {
    try {
      // Migrations are tried as they are (no refusal while down): they are this phase's probe.
      const applied = await migrateToLatest(db);
      markDbReady();
      markDbSupervised();
      reportDbWriteOk();
      readyResolve();
      if (!first && applied.length > 0) log(`database: applied ${applied.join(', ')}`);
      if (!first) {
        log('database: migrated; ready');
        // Whatever was read before the database answered (nothing) is stale now.
        for (const l of others) l();
      }
      later(poll, 0);
      return { ok: true, applied };
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      reportDbUnavailable(e);
      later(async () => { await migrate(Math.min(PROBE_MAX_MS, wait * 2), false).catch((err: unknown) => logBackgroundError('database: migration failed', err, log)); }, wait);
      return { ok: false, unavailable: true, reason: unavailableReason(e) };
    }
  };

  const firstAttempt = migrate(PROBE_FIRST_MS, true);
  firstAttempt.catch(() => {}); // the caller that starts the server reports it; nobody else must crash on it
  return {
    db,
    url,
    firstAttempt,
    whenReady: () => ready,
    onOtherWrite(listener) {
      others.add(listener);
      return () => others.delete(listener);
    },
    noteOwnVersion(version) {
      // Our own move, and nobody else's in between: the poll need not reload what the caller already invalidated.
      if (seen !== null && version === seen + 1) seen = version;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      offDown();
      offUp();
      await db.destroy();
    },
  };
}

/** The process's database for `url`, opened and supervised on first call; later calls return the same one. */
export function processDb(url: string, log: Log = (line) => console.error(line)): ProcessDb {
  const g = globalThis as Record<symbol, ProcessDb | undefined>;
  const existing = g[KEY];
  if (existing && existing.url === url) return existing;
  const created = start(url, log);
  g[KEY] = created;
  return created;
}

/** The process's database if one was opened (null before). */
export function currentProcessDb(): ProcessDb | null {
  return (globalThis as Record<symbol, ProcessDb | undefined>)[KEY] ?? null;
}
