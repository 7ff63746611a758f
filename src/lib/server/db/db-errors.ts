// Which database errors mean "the database is unavailable" (down, unreachable, locked, read-only, full disk),
// as opposed to a bug in a query: the first kind degrades the site, the second is a real error.

const MARK = Symbol.for('kaizen-status.database-unavailable');

/**
 * The database could not carry out the request for a reason outside the query itself; `reason` says which.
 * `instanceof` works across the server script's and the Astro bundle's copies of this module (one database
 * handle serves both), through a global mark rather than the class's identity.
 */
export class DatabaseUnavailableError extends Error {
  readonly reason: string;
  readonly [MARK] = true;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Database unavailable: ${reason}`, options);
    this.name = 'DatabaseUnavailableError';
    this.reason = reason;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
  }
}

// Node socket errors on the way to PostgreSQL.
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
// pg's own messages when a connection dies, cannot be made in time, or a query gets no answer.
const pgMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /not queryable/i,
  /connection (is )?closed/i,
  /server closed the connection/i,
];
// SQLSTATE classes: 08 connection exception, 53 insufficient resources (disk full, too many connections),
// 57P01-03 shutdown / cannot connect now, 58 system error, 25006 read-only transaction (a standby).
const pgState = /^(08|53|57P0[1-3]|58|25006)/;
// better-sqlite3 result codes (extended codes start with the primary one).
const sqliteCodes = /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN|PROTOCOL|NOMEM|CORRUPT|NOTADB)/;

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** True when `e` (or its cause) says the database is unavailable rather than that the query is wrong. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let err = e, depth = 0; err && depth < 4; err = (err as { cause?: unknown }).cause, depth++) {
    if (err instanceof DatabaseUnavailableError) return true;
    const code = codeOf(err);
    if (socketCodes.has(code) || pgState.test(code) || sqliteCodes.test(code)) return true;
    const message = err instanceof Error ? err.message : '';
    if (pgMessages.some((m) => m.test(message))) return true;
    if (err instanceof AggregateError && err.errors.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}

const plain: [RegExp, string][] = [
  [/^SQLITE_FULL/, 'the disk is full'],
  [/^SQLITE_READONLY/, 'the database file is read-only'],
  [/^SQLITE_(BUSY|LOCKED)/, 'the database file is locked by another process'],
  [/^SQLITE_IOERR/, 'the disk failed a read or write'],
  [/^SQLITE_CANTOPEN/, 'the database file cannot be opened'],
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ETIMEDOUT|ECONNRESET|EPIPE|ECONNABORTED)$/, 'the connection was cut'],
  [/^(ENOTFOUND|EAI_AGAIN)$/, 'the database host cannot be resolved'],
  [/^53100$/, 'the database server disk is full'],
  [/^57P0[1-3]$/, 'the database server is shutting down or starting'],
];

/**
 * A short reason for people (admin banner, /readyz): "connection refused", "the disk is full" … Only known phrases,
 * never the raw message (it may name hosts or paths); the log has the full error.
 */
export function unavailableReason(e: unknown): string {
  for (let err = e, depth = 0; err && depth < 4; err = (err as { cause?: unknown }).cause, depth++) {
    if (err instanceof DatabaseUnavailableError) return err.reason;
    const code = codeOf(err);
    for (const [pattern, text] of plain) if (pattern.test(code)) return text;
    const message = err instanceof Error ? err.message : '';
    if (/timeout exceeded when trying to connect|query read timeout/i.test(message)) return 'no answer in time';
    if (/connection terminated|server closed the connection/i.test(message)) return 'the connection was cut';
    if (err instanceof AggregateError && err.errors.length > 0) return unavailableReason(err.errors[0]);
  }
  return 'unreachable';
}

/** The read's value, or `fallback` when the database is unavailable: for pages that can show something without it. */
export async function unlessUnavailable<T>(read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof DatabaseUnavailableError || isDatabaseUnavailable(e)) return fallback;
    throw e;
  }
}
