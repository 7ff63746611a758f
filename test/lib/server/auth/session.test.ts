// Lucia-style sessions on a real SQLite file, with an injected clock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSession, generateSessionToken, invalidateSession, invalidateUserSessions, SESSION_LIFETIME_MS, validateSessionToken,
} from '../../../../src/lib/server/auth/session.ts';
import { insertUser } from '../../../../src/lib/server/auth/users.ts';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { hashToken } from '../../../../src/lib/server/ids.ts';

const DAY = 86_400_000;
const t0 = Date.parse('2026-11-01T00:00:00Z');
let dir: string;
let db: Db;
let userId: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-auth-'));
  db = openDb(path.join(dir, 'test.db'));
  await migrateToLatest(db);
  userId = await insertUser(db, 'Oncall@Example.com', null, t0);
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sessions', () => {
  it('stores only the SHA-256 of the token', async () => {
    const token = generateSessionToken();
    await createSession(db, token, userId, t0);
    const rows = await db.selectFrom('user_session').select('id').execute();
    expect(rows).toEqual([{ id: hashToken(token) }]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it.each([
    ['fresh, day 1', 1 * DAY, true, false],
    ['day 14.9: not renewed yet', 14.9 * DAY, true, false],
    ['day 15: renewed to 30 more days', 15 * DAY, true, true],
    ['day 29.9: renewed', 29.9 * DAY, true, true],
    ['day 30: expired', 30 * DAY, false, false],
  ])('%s', async (_name, after, valid, renewed) => {
    const token = generateSessionToken();
    await createSession(db, token, userId, t0);
    const v = await validateSessionToken(db, token, t0 + after);
    expect(v.session !== null).toBe(valid);
    expect(v.renewed).toBe(renewed);
    if (renewed) expect(v.session!.expiresAt).toBe(t0 + after + SESSION_LIFETIME_MS);
    if (!valid) expect(await db.selectFrom('user_session').selectAll().execute()).toHaveLength(0);
  });

  it('rejects unknown tokens and ends one or all sessions on request', async () => {
    const a = generateSessionToken();
    const b = generateSessionToken();
    const sa = await createSession(db, a, userId, t0);
    await createSession(db, b, userId, t0);
    expect((await validateSessionToken(db, 'not-a-token', t0)).session).toBeNull();
    await invalidateSession(db, sa.id);
    expect((await validateSessionToken(db, a, t0)).session).toBeNull();
    expect((await validateSessionToken(db, b, t0)).user?.email).toBe('oncall@example.com');
    await invalidateUserSessions(db, userId);
    expect((await validateSessionToken(db, b, t0)).session).toBeNull();
  });
});
