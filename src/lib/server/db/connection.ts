// Opens the store: a SQLite file by default, PostgreSQL for a postgres:// DATABASE_URL. Every query is monitored
// (db-health), and connections are bounded in time so a database that stops answering cannot hang the site.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient, type SqliteDatabase } from 'kysely';
import { isDatabaseUnavailable } from './db-errors.ts';
import { reportDbUnavailable } from './db-health.ts';
import { monitoredDialect } from './monitored-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/** A new PostgreSQL connection gives up after this long (a host that accepts nothing). */
export const PG_CONNECT_TIMEOUT_MS = 5000;
/** A query with no answer after this long fails, and its connection is thrown away (a host that went dark). */
export const PG_QUERY_TIMEOUT_MS = 10_000;
/** How long a SQLite write waits for another process's lock before failing (it blocks the event loop meanwhile). */
export const SQLITE_BUSY_TIMEOUT_MS = 1000;

/** True for a connection (or transaction) to PostgreSQL: where several instances may share the database. */
export function onPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** An opened database and a write that proves it takes writes (used while it is down, never refused). */
export interface OpenedDb {
  db: Db;
  probeWrite: () => Promise<void>;
}

/**
 * pg's pool, with two repairs: an error on a checked-out client (the server went away mid-lease) is caught
 * instead of crashing the process, and a client that failed that way or timed out is destroyed on release
 * rather than handed to the next query.
 */
function resilientPool(pool: pg.Pool): PostgresPool {
  const broken = new WeakSet<pg.PoolClient>();
  const watched = new WeakSet<pg.PoolClient>();
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  pool.on('error', (e) => reportDbUnavailable(e));
  return Object.assign(Object.create(pool) as object, {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      if (!watched.has(client)) {
        watched.add(client);
        client.on('error', (e) => {
          broken.add(client);
          reportDbUnavailable(e);
        });
      }
      let w = wrappers.get(client);
      if (!w) {
        w = {
          get processID() {
            return (client as unknown as { processID?: number }).processID;
          },
          query: ((text: string, params: unknown[]) => client.query(text, params).catch((e: unknown) => {
            if (isDatabaseUnavailable(e)) broken.add(client);
            throw e;
          })) as unknown as PostgresPoolClient['query'],
          release: (destroy?: boolean) => {
            client.release(destroy === true || broken.has(client) ? true : undefined);
          },
        } as PostgresPoolClient;
        wrappers.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  }) as PostgresPool;
}

function openPostgres(url: string): OpenedDb {
  const pool = new pg.Pool({
    connectionString: url,
    max: 20,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    query_timeout: PG_QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  const db = new Kysely<Database>({ dialect: monitoredDialect(new PostgresDialect({ pool: resilientPool(pool) })) });
  return {
    db,
    probeWrite: async () => {
      await pool.query('update data_version set version = version where id = 1');
    },
  };
}

/** Compiled statements kept per connection: the most recently used SQL texts. */
const STATEMENTS_KEPT = 64;

/**
 * Kysely prepares every query anew, and better-sqlite3 frees a statement's compiled program only when the garbage
 * collector finalizes it: a fan-out's thousands of identical INSERTs and UPDATEs held hundreds of megabytes that
 * V8 never saw. The same SQL text runs again on its compiled statement; a streamed query (iterate) gets its own, so
 * a statement is never asked to run while it is still being read.
 */
class StatementCache {
  #kept = new Map<string, SQLite.Statement>();
  #on: SQLite.Database | null = null;

  prepare(conn: SQLite.Database, sql: string): ReturnType<SqliteDatabase['prepare']> {
    if (this.#on !== conn) this.clear();
    this.#on = conn;
    let stmt = this.#kept.get(sql);
    if (stmt) this.#kept.delete(sql);
    else stmt = conn.prepare(sql);
    this.#kept.set(sql, stmt);
    if (this.#kept.size > STATEMENTS_KEPT) this.#kept.delete(this.#kept.keys().next().value!);
    const kept = stmt;
    return {
      reader: kept.reader,
      all: (parameters) => kept.all(parameters),
      run: (parameters) => kept.run(parameters),
      iterate: (parameters) => conn.prepare(sql).iterate(parameters),
    };
  }

  clear(): void {
    this.#kept.clear();
    this.#on = null;
  }
}

function openSqlite(url: string): OpenedDb {
  const file = url.startsWith('file:') ? url.slice('file:'.length) : url;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const open = (busyTimeoutMs: number): SQLite.Database => {
    const sqlite = new SQLite(file);
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed, so a scrubbed link token leaves nothing in free pages.
    sqlite.pragma('secure_delete = ON');
    return sqlite;
  };
  // Opened on first use and again after a failure to open, so a file that cannot be opened yet (a missing or
  // read-only disk) is retried later; while the database is down each probe reopens it (see probeWrite).
  let main: SQLite.Database | null = null;
  const statements = new StatementCache();
  const current = (): SQLite.Database => (main ??= open(SQLITE_BUSY_TIMEOUT_MS));
  const database: SqliteDatabase = {
    prepare: (sql) => statements.prepare(current(), sql),
    close: () => {
      statements.clear();
      main?.close();
      main = null;
    },
  };
  const db = new Kysely<Database>({ dialect: monitoredDialect(new SqliteDialect({ database })) });
  let probe: SQLite.Database | null = null;
  return {
    db,
    // Its own connection that never waits for a lock: probing must not block the event loop.
    probeWrite: async () => {
      // A connection opened while the disk was read-only keeps the file read-only for the whole process, even once
      // the disk takes writes again: let go of it (it reopens at the next query) before trying.
      if (main && !main.inTransaction) database.close();
      try {
        probe ??= open(0);
        probe.prepare('update data_version set version = version where id = 1').run();
      } catch (e) {
        probe?.close();
        probe = null;
        throw e;
      }
    },
  };
}

/** Opens a connection for the given DATABASE_URL, with a write probe for the supervisor. */
export function openDbWithProbe(url: string): OpenedDb {
  return isPostgresUrl(url) ? openPostgres(url) : openSqlite(url);
}

/** Opens a connection for the given DATABASE_URL, creating the SQLite file's folder if needed. */
export function openDb(url: string): Db {
  return openDbWithProbe(url).db;
}
