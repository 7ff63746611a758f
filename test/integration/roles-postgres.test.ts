// The last-admin rule on PostgreSQL, where two transactions really run at once: admins demoting or removing each
// other at the same moment always leave one admin (the admins' rows are locked inside the change's transaction).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changeRole, removeUser } from '../../src/lib/server/auth/user-admin.ts';
import { countAdmins, insertUser } from '../../src/lib/server/auth/users.ts';
import { openDb, type Db } from '../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

let db: Db;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  const database = await createTestDatabase('kz_roles');
  drop = database.drop;
  db = openDb(database.url);
  await migrateToLatest(db);
});
afterAll(async () => {
  await db?.destroy();
  await drop();
});

it('two admins demoting or removing each other at once: every round leaves exactly one admin', async () => {
  const now = Date.now();
  for (let round = 0; round < 10; round++) {
    await db.deleteFrom('app_user').execute();
    await insertUser(db, `a${round}@acme.test`, null, now, 'admin');
    await insertUser(db, `b${round}@acme.test`, null, now, 'admin');
    const results = await Promise.allSettled(round % 2 === 0
      ? [changeRole(db, `a${round}@acme.test`, 'viewer', 'x', now), changeRole(db, `b${round}@acme.test`, 'responder', 'x', now)]
      : [removeUser(db, `a${round}@acme.test`, 'x', now), removeUser(db, `b${round}@acme.test`, 'x', now)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toContain('The last admin cannot be');
    expect(await countAdmins(db)).toBe(1);
  }
});
