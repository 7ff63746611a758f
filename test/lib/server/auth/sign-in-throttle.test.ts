// The sign-in throttle (decision record 009) on real SQLite and PostgreSQL databases, through signIn itself:
// attempts are reserved before the password is verified, failures count per account and address, and a slower
// limit per account never locks its owner out of an address they signed in from before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../src/lib/server/auth/password.ts';
import { signIn, type SignInResult } from '../../../../src/lib/server/auth/sign-in.ts';
import { insertUser } from '../../../../src/lib/server/auth/users.ts';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';

const MIN = 60_000;
const t0 = Date.parse('2026-11-01T09:00:00Z');
const OWNER = 'owner@example.com';
const PASSWORD = 'a long and unguessable sentence';
const HOME = '203.0.113.10';
const ATTACKER = '198.51.100.66';

type Kind = 'invalid' | 'throttled' | 'ok';
const kind = (r: SignInResult): Kind => (r.ok ? 'ok' : r.reason === 'too-long' ? 'invalid' : r.reason);
const tally = (rs: SignInResult[]): Record<Kind, number> => {
  const t: Record<Kind, number> = { ok: 0, invalid: 0, throttled: 0 };
  for (const r of rs) t[kind(r)]++;
  return t;
};

/** Runs `count` calls, `width` at a time (argon2 is the slow part; the order does not matter to the rule). */
async function inBatches<T>(count: number, width: number, call: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += width) out.push(...(await Promise.all(Array.from({ length: Math.min(width, count - i) }, (_, j) => call(i + j)))));
  return out;
}

interface Store {
  name: string;
  open: () => Promise<{ db: Db; close: () => Promise<void> }>;
}

const stores: Store[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-throttle-'));
      const db = openDb(path.join(dir, 'test.db'));
      return { db, close: async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const database = await createTestDatabase('kz_throttle');
      const db = openDb(database.url);
      return { db, close: async () => { await db.destroy(); await database.drop(); } };
    },
  },
];

describe.each(stores)('sign-in throttle on $name', (store) => {
  let db: Db;
  let close: () => Promise<void> = async () => {};
  let ownerHash: string;

  beforeAll(async () => {
    ({ db, close } = await store.open());
    await migrateToLatest(db);
    ownerHash = await hashPassword(PASSWORD);
  });
  afterAll(async () => close());
  beforeEach(async () => {
    await db.deleteFrom('sign_in_attempt').execute();
    await db.deleteFrom('audit_log').execute();
    await db.deleteFrom('user_session').execute();
    await db.deleteFrom('app_user').execute();
    await insertUser(db, OWNER, ownerHash, t0 - 30 * 86_400_000);
  });

  const failedAudits = async (): Promise<number> =>
    (await db.selectFrom('audit_log').select('id').where('action', '=', 'sign_in_failed').execute()).length;

  it('40 parallel wrong guesses at one account from one address evaluate at most 5 passwords', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(db, OWNER, `wrong guess number ${i}`, ATTACKER, t0)));
    expect(tally(results)).toEqual({ ok: 0, invalid: 5, throttled: 35 });
    expect(await failedAudits()).toBe(5);
  });

  it('40 parallel guesses at 40 accounts from one address evaluate at most 20', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(db, `user${i}@example.com`, 'password spraying!', ATTACKER, t0)));
    expect(tally(results)).toEqual({ ok: 0, invalid: 20, throttled: 20 });
  });

  it("someone else's failures at an account do not lock its owner out of another address", async () => {
    for (let i = 0; i < 5; i++) expect(kind(await signIn(db, OWNER, `wrong guess number ${i}`, ATTACKER, t0 + i * 1000))).toBe('invalid');
    const blocked = await signIn(db, OWNER, PASSWORD, ATTACKER, t0 + 10_000);
    expect(blocked).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 15 * 60 - 10 });
    // The owner, from an address with no failures, is not affected.
    expect(kind(await signIn(db, OWNER, PASSWORD, HOME, t0 + 20_000))).toBe('ok');
    // The attacker's address stays throttled for this account until its failures age out, and only for it.
    expect(kind(await signIn(db, OWNER, PASSWORD, ATTACKER, t0 + 30_000))).toBe('throttled');
    expect(kind(await signIn(db, 'someone-else@example.com', 'another wrong guess', ATTACKER, t0 + 30_000))).toBe('invalid');
    expect(kind(await signIn(db, OWNER, PASSWORD, ATTACKER, t0 + 15 * MIN + 1000))).toBe('ok');
  });

  it('an unknown account is throttled exactly like a known one', async () => {
    const known: Kind[] = [];
    const unknown: Kind[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(kind(await signIn(db, OWNER, `wrong guess number ${i}`, ATTACKER, t0 + i * 1000)));
      unknown.push(kind(await signIn(db, 'nobody@example.com', `wrong guess number ${i}`, ATTACKER, t0 + i * 1000)));
    }
    expect(known).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'throttled', 'throttled']);
    expect(unknown).toEqual(known);
    expect(kind(await signIn(db, 'nobody@example.com', 'wrong guess', HOME, t0 + 8000))).toBe('invalid');
  });

  it('a success clears only its own address: failures from elsewhere still count', async () => {
    for (let i = 0; i < 4; i++) {
      await signIn(db, OWNER, `wrong guess number ${i}`, ATTACKER, t0 + i * 1000);
      await signIn(db, OWNER, `my typo number ${i}`, HOME, t0 + i * 1000);
    }
    expect(kind(await signIn(db, OWNER, PASSWORD, HOME, t0 + 5000))).toBe('ok');
    expect(kind(await signIn(db, OWNER, 'wrong guess number 5', ATTACKER, t0 + 6000))).toBe('invalid');
    expect(kind(await signIn(db, OWNER, PASSWORD, ATTACKER, t0 + 7000))).toBe('throttled');
    for (let i = 0; i < 4; i++) expect(kind(await signIn(db, OWNER, `my typo number ${i}`, HOME, t0 + 8000 + i))).toBe('invalid');
  });

  it('100 failures in an hour from many addresses throttle the account, except from an address its owner signed in from', async () => {
    expect(kind(await signIn(db, OWNER, PASSWORD, HOME, t0))).toBe('ok');
    // Distributed guessing: 100 addresses, one guess each, within the hour.
    const guesses = await inBatches(100, 8, (i) => signIn(db, OWNER, `distributed guess ${i}`, `198.51.100.${i + 1}`, t0 + MIN + i * 1000));
    expect(tally(guesses)).toEqual({ ok: 0, invalid: 100, throttled: 0 });
    // A new address is refused without a verification, whatever it sends.
    const fresh = await signIn(db, OWNER, PASSWORD, '192.0.2.200', t0 + 5 * MIN);
    expect(fresh).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 60 * 60 - 4 * 60 });
    expect(kind(await signIn(db, 'nobody@example.com', 'wrong guess', '192.0.2.200', t0 + 5 * MIN))).toBe('invalid');
    // The owner's usual address still signs in.
    expect(kind(await signIn(db, OWNER, PASSWORD, HOME, t0 + 6 * MIN))).toBe('ok');
    // An hour after the first of them, new addresses are let through again.
    expect(kind(await signIn(db, OWNER, PASSWORD, '192.0.2.200', t0 + 61 * MIN + 1000))).toBe('ok');
  });

  it('an address is known for 30 days after its last successful sign-in', async () => {
    expect(kind(await signIn(db, OWNER, PASSWORD, HOME, t0 - 31 * 86_400_000))).toBe('ok');
    await inBatches(100, 8, (i) => signIn(db, OWNER, `distributed guess ${i}`, `198.51.100.${i + 1}`, t0 + i * 1000));
    expect(kind(await signIn(db, OWNER, PASSWORD, HOME, t0 + 2 * MIN))).toBe('throttled');
  });

  it('an unknown account under distributed guessing is throttled the same way for new addresses', async () => {
    await inBatches(100, 8, (i) => signIn(db, 'nobody@example.com', `distributed guess ${i}`, `198.51.100.${i + 1}`, t0 + i * 1000));
    expect(kind(await signIn(db, 'nobody@example.com', 'one more guess', '192.0.2.200', t0 + 2 * MIN))).toBe('throttled');
  });
});
