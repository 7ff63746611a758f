// Whether the database answers, as this process last saw it. Shared through a global symbol because the server
// script and the Astro bundle load separate copies of this module but must agree on one state.
import { unavailableReason } from './db-errors.ts';

export interface DbHealth {
  /** A supervisor probes the database while it is down (only then are writes refused without trying). */
  supervised: boolean;
  /** Migrations have run: the schema is there to be used. */
  ready: boolean;
  up: boolean;
  /** When the current outage began, or null while up. */
  downSince: number | null;
  /** The last reason it failed, in words ("connection refused", "the disk is full"). */
  reason: string | null;
  /** When a write last succeeded (null before the first one). */
  lastWriteAt: number | null;
}

type Listener = (health: Readonly<DbHealth>) => void;
type DownListener = (health: Readonly<DbHealth>, cause: unknown) => void;

interface Shared {
  health: DbHealth;
  down: Set<DownListener>;
  recovered: Set<Listener>;
}

const KEY = Symbol.for('kaizen-status.db-health');

function shared(): Shared {
  const g = globalThis as Record<symbol, unknown>;
  g[KEY] ??= {
    health: { supervised: false, ready: false, up: true, downSince: null, reason: null, lastWriteAt: null },
    down: new Set<DownListener>(),
    recovered: new Set<Listener>(),
  } satisfies Shared;
  return g[KEY] as Shared;
}

/** The current state (a live object: read it, do not keep it). */
export function dbHealth(): Readonly<DbHealth> {
  return shared().health;
}

/** While a supervised database is down, writes fail at once instead of each waiting for a timeout or a lock. */
export function dbWritesRefused(): boolean {
  const h = shared().health;
  return h.supervised && !h.up;
}

/** Records that the database failed in a way that means "unavailable"; the first failure starts an outage. */
export function reportDbUnavailable(e: unknown, now: number = Date.now()): void {
  const s = shared();
  s.health.reason = unavailableReason(e);
  if (!s.health.up) return;
  s.health.up = false;
  s.health.downSince = now;
  for (const l of s.down) l(s.health, e);
}

/** Records a successful write: an outage, if any, is over. */
export function reportDbWriteOk(now: number = Date.now()): void {
  const s = shared();
  s.health.lastWriteAt = now;
  if (s.health.up) return;
  s.health.up = true;
  s.health.downSince = null;
  s.health.reason = null;
  for (const l of s.recovered) l(s.health);
}

/** Marks the schema as migrated (the database can be used from now on). */
export function markDbReady(): void {
  shared().health.ready = true;
}

/** Marks that a supervisor is probing this process's database. */
export function markDbSupervised(): void {
  shared().health.supervised = true;
}

/** Calls `listener` at the start of every outage, with the error that started it. */
export function onDbDown(listener: DownListener): () => void {
  shared().down.add(listener);
  return () => shared().down.delete(listener);
}

/** Calls `listener` when the database answers again after an outage. */
export function onDbRecovered(listener: Listener): () => void {
  shared().recovered.add(listener);
  return () => shared().recovered.delete(listener);
}

/** Back to the initial state (unit tests). */
export function resetDbHealth(): void {
  const s = shared();
  s.health = { supervised: false, ready: false, up: true, downSince: null, reason: null, lastWriteAt: null };
  s.down.clear();
  s.recovered.clear();
}
