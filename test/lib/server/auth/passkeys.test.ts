// Passkeys end to end on real SQLite and PostgreSQL databases, answered by a software authenticator (real keys and
// signatures) with an injected clock: registration, the second step and passwordless sign-in; challenges used once
// and expiring; wrong origin or rp id refused; a counter that goes back refused; another account's passkey refused;
// failed answers counted by the sign-in throttle.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../../src/lib/server/audit/audit-log.ts';
import { hashPassword } from '../../../../src/lib/server/auth/password.ts';
import { CHALLENGE_MS } from '../../../../src/lib/server/auth/passkey-challenge.ts';
import { relyingParty } from '../../../../src/lib/server/auth/passkey-party.ts';
import { registerPasskey, registrationOptions } from '../../../../src/lib/server/auth/passkey-registration.ts';
import { completePasskeySecondStep, passwordlessOptions, secondStepOptions, signInWithPasskey } from '../../../../src/lib/server/auth/passkey-sign-in.ts';
import { listPasskeys, removePasskey } from '../../../../src/lib/server/auth/passkeys.ts';
import { hasSecondFactor } from '../../../../src/lib/server/auth/second-factor.ts';
import { signIn } from '../../../../src/lib/server/auth/sign-in.ts';
import { insertUser } from '../../../../src/lib/server/auth/users.ts';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';
import { assert, createCredential, type Claim, type SoftCredential } from '../../../helpers/soft-authenticator.ts';

const t0 = Date.parse('2026-11-01T09:00:00Z');
const PASSWORD = 'a long and unguessable sentence';
const IP = '203.0.113.20';
const rp = relyingParty('https://status.example.com', new URL('http://10.0.0.5:4321/admin/account'), 'Acme Status');
const here: Claim = { rpId: 'status.example.com', origin: 'https://status.example.com' };

const stores = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-passkey-'));
      const db = openDb(path.join(dir, 'test.db'));
      return { db, close: async () => { await db.destroy(); fs.rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const database = await createTestDatabase('kz_passkey');
      const db = openDb(database.url);
      return { db, close: async () => { await db.destroy(); await database.drop(); } };
    },
  },
];

describe('the relying party', () => {
  it('comes from SITE_URL when set (behind a proxy), else from the request', () => {
    expect(rp).toEqual({ id: 'status.example.com', origin: 'https://status.example.com', name: 'Acme Status' });
    expect(relyingParty(undefined, new URL('http://localhost:4321/admin/account'), 'S')).toEqual({ id: 'localhost', origin: 'http://localhost:4321', name: 'S' });
  });
});

describe.each(stores)('passkeys on $name', (store) => {
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

  async function newUser(): Promise<{ id: string; email: string }> {
    const email = `pk${++n}@example.com`;
    return { id: await insertUser(db, email, hash, t0 - 86_400_000), email };
  }

  /** A user with one passkey, registered at t0. */
  async function userWithPasskey(): Promise<{ id: string; email: string; credential: SoftCredential }> {
    const user = await newUser();
    const options = await registrationOptions(db, user, rp, t0);
    const { credential, json } = createCredential(options, here);
    expect(await registerPasskey(db, user, rp, json, ' Work laptop ', t0)).toEqual({ ok: true, name: 'Work laptop' });
    return { ...user, credential };
  }

  /** The audit entries of one actor, newest first. */
  async function auditOf(email: string): Promise<string[]> {
    return (await listAudit(db, 1000, 0)).filter((e) => e.actor === email).map((e) => `${e.action}: ${e.detail}`);
  }

  async function pending(email: string, now: number, ip = IP): Promise<string> {
    const r = await signIn(db, email, PASSWORD, ip, now);
    if (r.ok !== 'second-step') throw new Error(`expected the second step, got ${JSON.stringify(r)}`);
    return r.pendingToken;
  }

  async function secondStepAnswer(token: string, credential: SoftCredential, now: number, claim = here, counter?: number): Promise<string> {
    const options = (await secondStepOptions(db, token, rp, now))!;
    return assert(credential, options, claim, counter);
  }

  it('registers a passkey, which makes the password one step of two; the second step and passwordless sign-in work', async () => {
    const user = await newUser();
    expect(await hasSecondFactor(db, user.id)).toBe(false);
    expect((await signIn(db, user.email, PASSWORD, IP, t0 - 1000)).ok).toBe(true);
    const options = await registrationOptions(db, user, rp, t0);
    expect(options.rp).toEqual({ name: 'Acme Status', id: 'status.example.com' });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required' });
    const { credential, json } = createCredential(options, here);
    expect(await registerPasskey(db, user, rp, json, '', t0)).toMatchObject({ ok: false, field: 'name' });
    expect(await registerPasskey(db, user, rp, json, 'x'.repeat(61), t0)).toMatchObject({ ok: false, field: 'name', error: expect.stringContaining('60') });
    expect(await registerPasskey(db, user, rp, json, 'Phone', t0)).toEqual({ ok: true, name: 'Phone' });
    expect(await hasSecondFactor(db, user.id)).toBe(true);
    const [stored] = await listPasskeys(db, user.id);
    expect(stored).toMatchObject({ name: 'Phone', credentialId: credential.id, counter: 0, transports: ['internal'], createdAt: t0, lastUsedAt: null });

    const token = await pending(user.email, t0 + 1000);
    const second = await completePasskeySecondStep(db, token, await secondStepAnswer(token, credential, t0 + 1000), rp, IP, t0 + 1000);
    expect(second).toMatchObject({ ok: true });
    expect((await listPasskeys(db, user.id))[0]).toMatchObject({ counter: 1, lastUsedAt: t0 + 1000 });
    // The pending sign-in is used up.
    expect(await secondStepOptions(db, token, rp, t0 + 2000)).toBeNull();

    const alone = await signInWithPasskey(db, assert(credential, await passwordlessOptions(db, rp, t0 + 3000), here), rp, IP, t0 + 3000);
    expect(alone).toMatchObject({ ok: true });
    expect(await auditOf(user.email)).toEqual([
      `sign_in: from ${IP}, passkey (Phone), no password`,
      `sign_in: from ${IP}, password and a passkey (Phone)`,
      'passkey_added: Phone',
      `sign_in: from ${IP}`,
    ]);
  });

  it('uses each challenge once and only within five minutes', async () => {
    const user = await newUser();
    // Registration: the answer replayed finds its challenge gone.
    const options = await registrationOptions(db, user, rp, t0);
    const { json } = createCredential(options, here);
    expect(await registerPasskey(db, user, rp, json, 'One', t0)).toMatchObject({ ok: true });
    expect(await registerPasskey(db, user, rp, json, 'Again', t0)).toMatchObject({ ok: false, field: 'passkey' });
    const late = await registrationOptions(db, user, rp, t0);
    expect(await registerPasskey(db, user, rp, createCredential(late, here).json, 'Late', t0 + CHALLENGE_MS)).toMatchObject({ ok: false, field: 'passkey' });
    expect(await listPasskeys(db, user.id)).toHaveLength(1);

    // Passwordless: a replayed answer, and one answered too late, are refused.
    const u2 = await userWithPasskey();
    const answer = assert(u2.credential, await passwordlessOptions(db, rp, t0), here);
    expect(await signInWithPasskey(db, answer, rp, IP, t0)).toMatchObject({ ok: true });
    expect(await signInWithPasskey(db, answer, rp, IP, t0)).toEqual({ ok: false, reason: 'invalid' });
    const slow = assert(u2.credential, await passwordlessOptions(db, rp, t0), here);
    expect(await signInWithPasskey(db, slow, rp, IP, t0 + CHALLENGE_MS)).toEqual({ ok: false, reason: 'invalid' });
    // A challenge given for registration does not sign anyone in.
    const reg = await registrationOptions(db, u2, rp, t0);
    expect(await signInWithPasskey(db, assert(u2.credential, reg, here), rp, IP, t0)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses an answer made for another origin or rp id', async () => {
    const user = await newUser();
    const phishing = { rpId: 'status.example.com', origin: 'https://status-example.com' };
    const otherRp = { rpId: 'example.com', origin: 'https://status.example.com' };
    for (const claim of [phishing, otherRp]) {
      const options = await registrationOptions(db, user, rp, t0);
      expect(await registerPasskey(db, user, rp, createCredential(options, claim).json, 'Bad', t0)).toMatchObject({ ok: false, field: 'passkey' });
    }
    expect(await listPasskeys(db, user.id)).toEqual([]);
    const u = await userWithPasskey();
    let k = 0;
    for (const claim of [phishing, otherRp]) {
      // A fresh address each time, so the throttle stays out of it.
      const answer = assert(u.credential, await passwordlessOptions(db, rp, t0), claim);
      expect(await signInWithPasskey(db, answer, rp, `192.0.2.${++k}`, t0)).toEqual({ ok: false, reason: 'invalid' });
      const ip = `192.0.2.${++k}`;
      const token = await pending(u.email, t0, ip);
      expect(await completePasskeySecondStep(db, token, await secondStepAnswer(token, u.credential, t0, claim), rp, ip, t0)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses a counter that does not move on (a cloned authenticator) and says so in the audit log', async () => {
    const u = await userWithPasskey();
    expect(await signInWithPasskey(db, assert(u.credential, await passwordlessOptions(db, rp, t0), here, 5), rp, IP, t0)).toMatchObject({ ok: true });
    for (const counter of [5, 3]) {
      const answer = assert(u.credential, await passwordlessOptions(db, rp, t0 + 1), here, counter);
      expect(await signInWithPasskey(db, answer, rp, IP, t0 + 1)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect((await auditOf(u.email)).slice(0, 2)).toEqual([expect.stringMatching(/^sign_in_failed: a passkey whose counter went back .*cloned/), expect.stringMatching(/^sign_in_failed: a passkey whose counter went back/)]);
    expect((await listPasskeys(db, u.id))[0]!.counter).toBe(5);
    expect(await signInWithPasskey(db, assert(u.credential, await passwordlessOptions(db, rp, t0 + 2), here, 6), rp, IP, t0 + 2)).toMatchObject({ ok: true });
  });

  it("does not let one account's passkey finish another's pending sign-in", async () => {
    const a = await userWithPasskey();
    const b = await userWithPasskey();
    const token = await pending(b.email, t0);
    const options = (await secondStepOptions(db, token, rp, t0))!;
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([b.credential.id]);
    expect(await completePasskeySecondStep(db, token, assert(a.credential, options, here), rp, IP, t0)).toEqual({ ok: false, reason: 'invalid' });
    expect(await auditOf(b.email)).toContain(`sign_in_failed: another account's passkey from ${IP}`);
    // B's own passkey still finishes it; A's pending sign-in cannot take B's challenge either.
    const tokenA = await pending(a.email, t0);
    const forB = (await secondStepOptions(db, token, rp, t0))!;
    expect(await completePasskeySecondStep(db, tokenA, assert(a.credential, forB, here), rp, IP, t0)).toEqual({ ok: false, reason: 'invalid' });
    expect(await completePasskeySecondStep(db, token, assert(b.credential, forB, here), rp, IP, t0)).toMatchObject({ ok: true });
  });

  it('counts refused answers as failed sign-ins of the account from that address', async () => {
    const u = await userWithPasskey();
    const ip = '198.51.100.77';
    const token = await pending(u.email, t0, ip);
    const wrongOrigin = { rpId: here.rpId, origin: 'https://evil.example' };
    const kinds: string[] = [];
    // The password's reservation stands until the second step succeeds: four refused answers make five failures.
    for (let i = 0; i < 4; i++) {
      const r = await completePasskeySecondStep(db, token, await secondStepAnswer(token, u.credential, t0 + i, wrongOrigin), rp, ip, t0 + i);
      kinds.push(r.ok ? 'ok' : r.reason);
    }
    expect(kinds).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect(await completePasskeySecondStep(db, token, await secondStepAnswer(token, u.credential, t0 + 10), rp, ip, t0 + 10)).toMatchObject({ ok: false, reason: 'throttled' });
    // Passwordless from that address is held up too, even with a good answer; another address is not.
    const good = assert(u.credential, await passwordlessOptions(db, rp, t0 + 20), here);
    expect(await signInWithPasskey(db, good, rp, ip, t0 + 20)).toMatchObject({ ok: false, reason: 'throttled' });
    expect(await signInWithPasskey(db, good, rp, IP, t0 + 20)).toMatchObject({ ok: true });

    // Passwordless failures count against the passkey's account too.
    const v = await userWithPasskey();
    const ip2 = '198.51.100.78';
    for (let i = 0; i < 5; i++) {
      const bad = assert(v.credential, await passwordlessOptions(db, rp, t0 + i), wrongOrigin);
      expect(await signInWithPasskey(db, bad, rp, ip2, t0 + i)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await signIn(db, v.email, PASSWORD, ip2, t0 + 10)).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('removes only your own passkey; with none left the password alone signs in again', async () => {
    const a = await userWithPasskey();
    const b = await userWithPasskey();
    const [pa] = await listPasskeys(db, a.id);
    expect(await removePasskey(db, b.id, pa!.id)).toBeNull();
    expect(await removePasskey(db, a.id, pa!.id)).toBe('Work laptop');
    expect(await hasSecondFactor(db, a.id)).toBe(false);
    expect((await signIn(db, a.email, PASSWORD, IP, t0)).ok).toBe(true);
    const answer = assert(a.credential, await passwordlessOptions(db, rp, t0), here);
    expect(await signInWithPasskey(db, answer, rp, IP, t0)).toEqual({ ok: false, reason: 'invalid' });
  });
});
