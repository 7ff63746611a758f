// Wraps a Kysely dialect so every query reports to db-health: an "unavailable" failure (see db-errors) becomes a
// DatabaseUnavailableError and starts an outage, a successful write ends one, and while a supervised database is
// down writes fail at once instead of each waiting for a lock or a timeout.
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';
import { DatabaseUnavailableError, isDatabaseUnavailable, unavailableReason } from './db-errors.ts';
import { dbHealth, dbWritesRefused, reportDbUnavailable, reportDbWriteOk } from './db-health.ts';

const readSql = /^\s*(select|pragma|show|explain)\b/i;
/** Ending a transaction is never refused: a rollback is how a failed write cleans up. */
const endSql = /^\s*(rollback|release)\b/i;

function isWrite(q: CompiledQuery): boolean {
  if (q.query.kind === 'SelectQueryNode') return false;
  return !readSql.test(q.sql);
}

function refused(): DatabaseUnavailableError {
  return new DatabaseUnavailableError(dbHealth().reason ?? 'unreachable');
}

function translate(e: unknown): unknown {
  if (e instanceof DatabaseUnavailableError) return e;
  if (!isDatabaseUnavailable(e)) return e;
  reportDbUnavailable(e);
  return new DatabaseUnavailableError(unavailableReason(e), { cause: e });
}

async function guarded<T>(write: boolean, run: () => Promise<T>): Promise<T> {
  if (write && dbWritesRefused()) throw refused();
  try {
    const r = await run();
    if (write) reportDbWriteOk();
    return r;
  } catch (e) {
    throw translate(e);
  }
}

function wrapConnection(inner: DatabaseConnection): DatabaseConnection {
  return {
    executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
      const write = isWrite(q) && !endSql.test(q.sql);
      return guarded(write, () => inner.executeQuery<R>(q));
    },
    streamQuery<R>(q: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
      return inner.streamQuery<R>(q, chunkSize);
    },
  };
}

function monitorDriver(inner: Driver): Driver {
  const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const unwrap = (c: DatabaseConnection): DatabaseConnection => innerOf.get(c) ?? c;
  return {
    init: () => guarded(false, () => inner.init()),
    async acquireConnection(): Promise<DatabaseConnection> {
      const c = await guarded(false, () => inner.acquireConnection());
      let w = wrapped.get(c);
      if (!w) {
        w = wrapConnection(c);
        wrapped.set(c, w);
        innerOf.set(w, c);
      }
      return w;
    },
    beginTransaction: (c: DatabaseConnection, settings: TransactionSettings) => guarded(true, () => inner.beginTransaction(unwrap(c), settings)),
    commitTransaction: (c: DatabaseConnection) => guarded(false, () => inner.commitTransaction(unwrap(c))),
    // SQLite rolls a transaction back by itself on a full disk or an I/O error; the explicit rollback then fails
    // and would hide the error that matters (the caller's), so that failure is dropped.
    rollbackTransaction: (c: DatabaseConnection) => guarded(false, () => inner.rollbackTransaction(unwrap(c))).catch((e: unknown) => {
      if (e instanceof Error && /no transaction is active/i.test(e.message)) return;
      throw e;
    }),
    releaseConnection: (c: DatabaseConnection) => inner.releaseConnection(unwrap(c)),
    destroy: () => inner.destroy(),
    ...(inner.savepoint ? { savepoint: (c, name, compile) => inner.savepoint!(unwrap(c), name, compile) } : {}),
    ...(inner.rollbackToSavepoint ? { rollbackToSavepoint: (c, name, compile) => inner.rollbackToSavepoint!(unwrap(c), name, compile) } : {}),
    ...(inner.releaseSavepoint ? { releaseSavepoint: (c, name, compile) => inner.releaseSavepoint!(unwrap(c), name, compile) } : {}),
  } satisfies Driver;
}

/** The same dialect, with every query reporting to db-health. */
export function monitoredDialect(inner: Dialect): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => monitorDriver(inner.createDriver()),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
}
