// Invitations and role changes on a real SQLite file, with an injected clock: the link's 72 hours, its single use,
// only its hash stored, the role it grants, and the last-admin rule.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumeOneTimeToken, peekOneTimeToken } from '../../../../src/lib/server/auth/one-time-link.ts';
import { changeRole, inviteUser, removeUser } from '../../../../src/lib/server/auth/user-admin.ts';
import { findUserByEmail, insertUser } from '../../../../src/lib/server/auth/users.ts';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import type { SiteForEmail } from '../../../../src/lib/server/email/compose.ts';

const HOUR = 3_600_000;
const t0 = Date.parse('2026-12-06T09:00:00Z');
const ctx = { site: { name: 'Acme Cloud', emailSignature: 'The team', logo: null }, components: [], baseUrl: 'https://status.acme.test' } as unknown as SiteForEmail;
let dir: string;
let db: Db;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-roles-'));
  db = openDb(path.join(dir, 'test.db'));
  await migrateToLatest(db);
  await insertUser(db, 'boss@acme.test', null, t0);
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tokenOf = (url: string): string => new URL(url).searchParams.get('token')!;

describe('an invitation', () => {
  it('grants its role, is valid 72 hours, single use, and only its hash is stored; its email is queued', async () => {
    const url = await inviteUser(db, 'New.Person@acme.test', 'responder', ctx, 'boss@acme.test', t0);
    expect(url).toMatch(/^https:\/\/status\.acme\.test\/admin\/reset\?token=\w+$/);
    expect((await findUserByEmail(db, 'new.person@acme.test'))?.role).toBe('responder');
    const token = tokenOf(url);
    const stored = await db.selectFrom('one_time_token').select('id').execute();
    expect(stored.map((r) => r.id)).not.toContain(token);
    expect(await peekOneTimeToken(db, 'reset', token, t0 + 71 * HOUR)).not.toBeNull();
    expect(await peekOneTimeToken(db, 'reset', token, t0 + 72 * HOUR)).toBeNull();
    const link = (await peekOneTimeToken(db, 'reset', token, t0 + HOUR))!;
    expect(await consumeOneTimeToken(db, link.id, t0 + HOUR)).toBe(true);
    expect(await peekOneTimeToken(db, 'reset', token, t0 + HOUR)).toBeNull();
    const queued = await db.selectFrom('email_outbox').select('to_address').execute();
    expect(queued.map((r) => r.to_address)).toEqual(['new.person@acme.test']);
  });

  it('refuses an unknown role and an address that has an account', async () => {
    await expect(inviteUser(db, 'x@acme.test', 'owner', ctx, 'boss@acme.test', t0)).rejects.toThrow('Choose a role');
    await expect(inviteUser(db, 'boss@acme.test', 'viewer', ctx, 'boss@acme.test', t0)).rejects.toThrow('already has an account');
  });
});

describe('the last admin', () => {
  it('can be neither demoted nor removed; with a second admin, one of them can', async () => {
    await expect(changeRole(db, 'boss@acme.test', 'viewer', 'boss@acme.test', t0)).rejects.toThrow('The last admin cannot be demoted');
    await expect(removeUser(db, 'boss@acme.test', 'boss@acme.test', t0)).rejects.toThrow('The last admin cannot be removed');
    await insertUser(db, 'second@acme.test', null, t0, 'admin');
    const results = await Promise.allSettled([
      changeRole(db, 'boss@acme.test', 'viewer', 'second@acme.test', t0),
      changeRole(db, 'second@acme.test', 'viewer', 'boss@acme.test', t0),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const admins = await db.selectFrom('app_user').select('email').where('role', '=', 'admin').execute();
    expect(admins).toHaveLength(1);
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'user_role_changed').execute();
    expect(audit).toEqual([{ action: 'user_role_changed', detail: 'Admin → Viewer' }]);
  });
});
