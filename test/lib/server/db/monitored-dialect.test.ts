// The monitored connection on a real SQLite file: an outage starts with an unavailable error, writes are refused
// without being tried while it lasts (supervised), reads go on, and a successful probe ends it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDbWithProbe, type OpenedDb } from '../../../../src/lib/server/db/connection.ts';
import { DatabaseUnavailableError } from '../../../../src/lib/server/db/db-errors.ts';
import { dbHealth, markDbSupervised, onDbDown, onDbRecovered, reportDbWriteOk, resetDbHealth } from '../../../../src/lib/server/db/db-health.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';

let dir: string;
let file: string;
let opened: OpenedDb;
let holder: Database.Database;

const write = (n: number): Promise<unknown> =>
  opened.db.insertInto('component_override').values({ component_id: `c${n}`, status: 'major_outage', set_at: 't' }).execute();
const read = (): Promise<unknown[]> => opened.db.selectFrom('component_override').selectAll().execute();

beforeEach(async () => {
  resetDbHealth();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-monitor-'));
  file = path.join(dir, 'status.db');
  opened = openDbWithProbe(file);
  await migrateToLatest(opened.db);
  holder = new Database(file);
});
afterEach(async () => {
  if (holder.inTransaction) holder.exec('rollback');
  holder.close();
  await opened.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  resetDbHealth();
});

describe('a supervised database', () => {
  beforeEach(() => markDbSupervised());

  it('starts an outage on a lock, refuses writes without trying while it lasts, and keeps reads', async () => {
    const downs: string[] = [];
    const ups: number[] = [];
    onDbDown((h) => downs.push(h.reason ?? ''));
    onDbRecovered(() => ups.push(1));
    await write(1);
    holder.exec('begin exclusive');
    await expect(write(2)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(dbHealth().up).toBe(false);
    expect(dbHealth().reason).toBe('the database file is locked by another process');
    expect(downs).toEqual(['the database file is locked by another process']);
    // Reads need no write lock (WAL): they go on through the outage.
    expect(await read()).toHaveLength(1);
    holder.exec('rollback');
    // The file would take this write now, but the outage has not been seen to end: refused without trying.
    await expect(write(3)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(await read()).toHaveLength(1);
  });

  it('ends the outage and tells the listeners when a write succeeds again', async () => {
    const ups: number[] = [];
    onDbRecovered(() => ups.push(1));
    holder.exec('begin exclusive');
    await expect(write(1)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    holder.exec('rollback');
    await opened.probeWrite();
    // What the supervisor does after a good probe (process-db.ts): report the write.
    reportDbWriteOk();
    expect(ups).toEqual([1]);
    await write(2);
    expect(await read()).toHaveLength(1);
  });

  it('lets a failing probe fail while the lock is held, and pass once it is released', async () => {
    holder.exec('begin exclusive');
    await expect(opened.probeWrite()).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    holder.exec('rollback');
    await expect(opened.probeWrite()).resolves.toBeUndefined();
  });
});

describe('any database', () => {
  it('passes a query error through as it is, without starting an outage', async () => {
    await write(1);
    await expect(write(1)).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(dbHealth().up).toBe(true);
  });

  it('rolls a transaction back when the disk refuses its write, leaving nothing half-written', async () => {
    holder.exec('begin exclusive');
    await expect(opened.db.transaction().execute(async (trx) => {
      await trx.selectFrom('component_override').selectAll().execute();
      await trx.insertInto('component_override').values({ component_id: 'a', status: 'major_outage', set_at: 't' }).execute();
    })).rejects.toBeInstanceOf(DatabaseUnavailableError);
    holder.exec('rollback');
    expect(await read()).toHaveLength(0);
  });
});

describe('a transaction SQLite rolled back by itself', () => {
  it('reports the error that matters, not the failed explicit rollback', async () => {
    // A unique violation inside a transaction does not roll it back; RAISE(ROLLBACK) in a trigger does, as SQLite
    // does on a full disk: the explicit rollback that follows finds no transaction.
    await sql`create trigger boom before insert on component_override when new.component_id = 'boom' begin select raise(rollback, 'database or disk is full'); end`.execute(opened.db);
    await expect(opened.db.transaction().execute(async (trx) => {
      await trx.insertInto('component_override').values({ component_id: 'boom', status: 'major_outage', set_at: 't' }).execute();
    })).rejects.toThrow('database or disk is full');
  });
});
