// TOTP sign-in end to end on real SQLite and PostgreSQL databases with an injected clock: enrolment, the second
// step, replay refused (also two requests racing with one code), recovery codes once, the pending sign-in's
// expiry, and the throttle across both steps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../src/lib/server/auth/password.ts';
import { completeSecondStep, signIn } from '../../../../src/lib/server/auth/sign-in.ts';
import { confirmTotpEnrolment, hasTotp, startTotpEnrolment, totpStatus } from '../../../../src/lib/server/auth/totp.ts';
import { totpCodeAt, totpStep } from '../../../../src/lib/server/auth/totp-code.ts';
import { PENDING_SIGN_IN_MS } from '../../../../src/lib/server/auth/totp-pending.ts';
import { insertUser } from '../../../../src/lib/server/auth/users.ts';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';

// Ten seconds into a step, so ±1 step means the same thing throughout each test.
const t0 = Date.parse('2026-11-01T09:00:10Z');
const PASSWORD = 'a long and unguessable sentence';
const IP = '203.0.113.10';

const stores = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-totp-'));
      const db = openDb(path.join(dir, 'test.db'));
      return { db, close: async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const database = await createTestDatabase('kz_totp');
      const db = openDb(database.url);
      return { db, close: async () => { await db.destroy(); await database.drop(); } };
    },
  },
];

describe.each(stores)('TOTP sign-in on $name', (store) => {
  let db: Db;
  let close: () => Promise<void> = async () => {};
  let hash: string;
  let n = 0;

  beforeAll(async () => {
    ({ db, close } = await store.open());
    await migrateToLatest(db);
    hash = await hashPassword(PASSWORD);
  });
  afterAll(async () => close());

  /** A fresh user with TOTP on (enrolled at t0 with that step's code); its secret and recovery codes. */
  async function enrolledUser(): Promise<{ email: string; secret: string; recovery: string[] }> {
    const email = `user${++n}@example.com`;
    const id = await insertUser(db, email, hash, t0 - 86_400_000);
    const secret = (await startTotpEnrolment(db, id, t0))!;
    expect(await hasTotp(db, id)).toBe(false);
    expect(await confirmTotpEnrolment(db, id, totpCodeAt(secret, totpStep(t0) + 2), t0)).toBeNull();
    const recovery = (await confirmTotpEnrolment(db, id, totpCodeAt(secret, totpStep(t0)), t0))!;
    expect(recovery).toHaveLength(10);
    expect(await hasTotp(db, id)).toBe(true);
    expect(await totpStatus(db, id)).toEqual({ enabled: true, pendingSecret: null, recoveryCodesLeft: 10 });
    expect(await startTotpEnrolment(db, id, t0)).toBeNull();
    return { email, secret, recovery };
  }

  async function pending(email: string, now: number, ip = IP): Promise<string> {
    const r = await signIn(db, email, PASSWORD, ip, now);
    if (r.ok !== 'second-step') throw new Error(`expected the second step, got ${JSON.stringify(r)}`);
    return r.pendingToken;
  }

  it('gives a session only after the code; the code of a used step, or an older one, is refused', async () => {
    const u = await enrolledUser();
    const step = totpStep(t0);
    // The enrolment used step; the same code at sign-in is a replay.
    expect(await completeSecondStep(db, await pending(u.email, t0), totpCodeAt(u.secret, step), IP, t0)).toEqual({ ok: false, reason: 'invalid' });
    const next = totpCodeAt(u.secret, step + 1);
    const ok = await completeSecondStep(db, await pending(u.email, t0), next, IP, t0);
    expect(ok).toMatchObject({ ok: true, factor: 'totp' });
    // Thirty seconds on, that code is the current step's, and still refused.
    expect(await completeSecondStep(db, await pending(u.email, t0 + 30_000), next, IP, t0 + 30_000)).toEqual({ ok: false, reason: 'invalid' });
    // A minute on, the next step's code is fresh.
    const later = t0 + 60_000;
    expect(await completeSecondStep(db, await pending(u.email, later), totpCodeAt(u.secret, step + 2), IP, later)).toMatchObject({ ok: true });
  });

  it('of two requests racing with one code, only one signs in', async () => {
    const u = await enrolledUser();
    const code = totpCodeAt(u.secret, totpStep(t0) + 1);
    const [a, b] = [await pending(u.email, t0), await pending(u.email, t0)];
    const results = await Promise.all([completeSecondStep(db, a, code, IP, t0), completeSecondStep(db, b, code, IP, t0)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('takes each recovery code once; a pending sign-in is single use and lasts five minutes', async () => {
    const u = await enrolledUser();
    const token = await pending(u.email, t0);
    expect(await completeSecondStep(db, token, u.recovery[0]!, IP, t0)).toMatchObject({ ok: true, factor: 'recovery' });
    expect(await completeSecondStep(db, token, u.recovery[1]!, IP, t0)).toEqual({ ok: false, reason: 'expired' });
    expect(await completeSecondStep(db, await pending(u.email, t0), u.recovery[0]!, IP, t0)).toEqual({ ok: false, reason: 'invalid' });
    const slow = await pending(u.email, t0);
    expect(await completeSecondStep(db, slow, u.recovery[1]!, IP, t0 + PENDING_SIGN_IN_MS - 1)).toMatchObject({ ok: true });
    const late = await pending(u.email, t0);
    expect(await completeSecondStep(db, late, u.recovery[2]!, IP, t0 + PENDING_SIGN_IN_MS)).toEqual({ ok: false, reason: 'expired' });
  });

  it('counts wrong codes with the password step per account and address; signing in again buys no new guesses', async () => {
    const u = await enrolledUser();
    const ip = '198.51.100.66';
    const token = await pending(u.email, t0, ip);
    const kinds: string[] = [];
    for (let i = 0; i < 4; i++) kinds.push(((r) => (r.ok ? 'ok' : r.reason))(await completeSecondStep(db, token, '000000', ip, t0 + i)));
    expect(kinds).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect(await completeSecondStep(db, token, u.recovery[0]!, ip, t0 + 10)).toMatchObject({ ok: false, reason: 'throttled' });
    expect(await signIn(db, u.email, PASSWORD, ip, t0 + 20)).toMatchObject({ ok: false, reason: 'throttled' });
    // Another address is not held up; its success does not clear the first address's failures.
    expect(await completeSecondStep(db, await pending(u.email, t0 + 30), u.recovery[0]!, IP, t0 + 30)).toMatchObject({ ok: true });
    expect(await signIn(db, u.email, PASSWORD, ip, t0 + 40)).toMatchObject({ ok: false, reason: 'throttled' });
    // After the 15-minute window the address may try again.
    expect((await signIn(db, u.email, PASSWORD, ip, t0 + 15 * 60_000 + 1_000)).ok).toBe('second-step');
  });
});
