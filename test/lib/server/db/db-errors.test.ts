// Which failures mean "the database is unavailable": real error shapes from pg, Node sockets and better-sqlite3.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, isDatabaseUnavailable, unavailableReason, unlessUnavailable } from '../../../../src/lib/server/db/db-errors.ts';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'connection refused'],
    ['a reset socket', withCode('read ECONNRESET', 'ECONNRESET'), 'the connection was cut'],
    ["pg's lost connection", new Error('Connection terminated unexpectedly'), 'the connection was cut'],
    ["pg's connect timeout", new Error('timeout exceeded when trying to connect'), 'no answer in time'],
    ["pg's query timeout", new Error('Query read timeout'), 'no answer in time'],
    ['an administrator shutdown', withCode('terminating connection due to administrator command', '57P01'), 'the database server is shutting down or starting'],
    ['a server disk full', withCode('could not extend file', '53100'), 'the database server disk is full'],
    ['SQLite busy', withCode('database is locked', 'SQLITE_BUSY'), 'the database file is locked by another process'],
    ['SQLite full', withCode('database or disk is full', 'SQLITE_FULL'), 'the disk is full'],
    ['SQLite read-only', withCode('attempt to write a readonly database', 'SQLITE_READONLY_DBMOVED'), 'the database file is read-only'],
    ['SQLite I/O', withCode('disk I/O error', 'SQLITE_IOERR_WRITE'), 'the disk failed a read or write'],
    ['a wrapped cause', new Error('outer', { cause: withCode('x', 'ECONNREFUSED') }), 'connection refused'],
    ['every address refused', new AggregateError([withCode('a', 'ECONNREFUSED'), withCode('b', 'ECONNREFUSED')]), 'connection refused'],
  ])('counts %s, in words: %s', (_what, error, reason) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(unavailableReason(error)).toBe(reason);
  });

  it.each([
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a SQLite constraint', withCode('UNIQUE constraint failed: subscriber.email', 'SQLITE_CONSTRAINT_UNIQUE')],
    ['a missing table', withCode('no such table: nope', 'SQLITE_ERROR')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('does not count %s (a bug is not an outage)', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('recognises the real better-sqlite3 error for a locked file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-errors-'));
    const file = path.join(dir, 'x.db');
    const a = new Database(file);
    const b = new Database(file);
    try {
      a.exec('create table t (x)');
      b.pragma('busy_timeout = 0');
      a.exec('begin exclusive');
      let caught: unknown = null;
      try {
        b.exec('insert into t values (1)');
      } catch (e) {
        caught = e;
      }
      expect(isDatabaseUnavailable(caught)).toBe(true);
      expect(unavailableReason(caught)).toBe('the database file is locked by another process');
      a.exec('rollback');
    } finally {
      a.close();
      b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('unavailableReason', () => {
  it('never repeats a raw message that may name hosts or paths', () => {
    expect(unavailableReason(withCode('could not connect to server at db-7.internal:5432', '08006'))).toBe('unreachable');
  });
});

describe('DatabaseUnavailableError', () => {
  it('is recognised by instanceof across two copies of the module (the server script and the Astro bundle)', async () => {
    const second = '../../../../src/lib/server/db/db-errors.ts?second-copy';
    const other = (await import(/* @vite-ignore */ second)) as typeof import('../../../../src/lib/server/db/db-errors.ts');
    expect(other.DatabaseUnavailableError).not.toBe(DatabaseUnavailableError);
    const fromOther = new other.DatabaseUnavailableError('connection refused');
    expect(fromOther instanceof DatabaseUnavailableError).toBe(true);
    expect(new DatabaseUnavailableError('x') instanceof other.DatabaseUnavailableError).toBe(true);
    expect(new Error('x') instanceof DatabaseUnavailableError).toBe(false);
  });
});

describe('unlessUnavailable', () => {
  it('gives the fallback for an outage and rethrows a bug', async () => {
    expect(await unlessUnavailable(async () => { throw new DatabaseUnavailableError('gone'); }, 'fallback')).toBe('fallback');
    expect(await unlessUnavailable(async () => 'value', 'fallback')).toBe('value');
    await expect(unlessUnavailable(async () => { throw new TypeError('bug'); }, 'fallback')).rejects.toThrow('bug');
  });
});
