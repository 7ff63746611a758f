// Two-factor sign-in over HTTP against the built server: TOTP enrolment from the account page (the code computed
// here from the secret in the page's otpauth URI), the second sign-in step, replay refused, recovery codes used
// once and regenerated, the throttle on wrong codes, and REQUIRE_2FA's lock-down.
// The server has no injectable clock, so codes come from the real clock, which both processes share; the step
// arithmetic (±1 step, replay) is tested on an injected clock in test/lib/server/auth/totp-code.test.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { decodeBase32IgnorePadding, encodeHexLowerCase } from '@oslojs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { totpCodeAt, totpStep } from '../../src/lib/server/auth/totp-code.ts';

const root = path.resolve(import.meta.dirname, '../..');
let fixture: Fixture;
/** Trusts X-Forwarded-For from 127.0.0.1, so each test signs in from an address of its own (throttle counts apart). */
let server: RunningServer;
let strict: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  [server, strict] = await Promise.all([
    startServer({ contentDir: fixture.dir, env: { TRUST_PROXY: '127.0.0.1' } }),
    startServer({ contentDir: fixture.dir, env: { REQUIRE_2FA: '1' } }),
  ]);
});
afterAll(async () => {
  await server?.stop();
  await strict?.stop();
  fixture?.cleanup();
});

/** A browser-like client: keeps every cookie (session and pending sign-in), sends Origin on posts. */
function browser(s: RunningServer, ip = '127.0.0.1') {
  const jar = new Map<string, string>();
  const keep = (r: Response): Response => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return r;
  };
  const headers = (): Record<string, string> => ({
    'x-forwarded-for': ip,
    ...(jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
  });
  return {
    jar,
    get: async (p: string) => keep(await s.get(p, { headers: headers() })),
    post: async (p: string, fields: Record<string, string>) => keep(await s.get(p, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { ...headers(), origin: new URL(s.url).origin, 'content-type': 'application/x-www-form-urlencoded' },
    })),
  };
}
type Browser = ReturnType<typeof browser>;

const adopt = (admin: AdminClient, s: RunningServer): Browser => {
  const b = browser(s);
  const [name, value] = admin.cookie!.split('=');
  b.jar.set(name!, value!);
  return b;
};

/** Starts enrolment on the account page and returns the secret (hex) read from the otpauth URI it shows. */
async function startEnrolment(b: Browser): Promise<{ secret: string; html: string }> {
  expect((await b.post('/admin/account', { intent: 'totp-start' })).status).toBe(303);
  const page = await b.get('/admin/account');
  expect(page.status).toBe(200);
  const html = await page.text();
  const uri = /<p class="totp-uri" id="totp-uri">([^<]+)<\/p>/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  expect(uri).toMatch(/^otpauth:\/\/totp\//);
  const secret = new URL(uri!).searchParams.get('secret')!;
  return { secret: encodeHexLowerCase(decodeBase32IgnorePadding(secret)), html };
}

const recoveryCodesIn = (html: string): string[] => [...html.matchAll(/<li><code>([a-z2-7-]{19})<\/code><\/li>/g)].map((m) => m[1]!);

async function signInWithPassword(b: Browser): Promise<Response> {
  return b.post('/admin/login?next=%2Fadmin%2Fincidents', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
}

describe('TOTP on a server without REQUIRE_2FA', () => {
  let me: Browser;
  let secret: string;
  let recovery: string[];
  let enrolStep: number;

  it('enrols from the account page: a local SVG QR code, the otpauth URI, on only after a valid code, recovery codes once', async () => {
    me = adopt(await firstAdmin(server), server);
    const before = await (await me.get('/admin/account')).text();
    expect(before).toContain('Set up two-factor sign-in');
    const started = await startEnrolment(me);
    secret = started.secret;
    // The QR code is drawn in the page: an inline SVG path, no image from anywhere.
    expect(started.html).toMatch(/<svg class="totp-qr" viewBox="0 0 (\d+) \1"[^>]*><path d="(M\d+ \d+h1v1h-1z)+"/);
    expect(started.html).not.toMatch(/<img[^>]+src="(https?:|data:)/);

    expect((await me.post('/admin/account', { intent: 'totp-confirm', code: '000000' === totpCodeAt(secret, totpStep(Date.now())) ? '111111' : '000000' })).status).toBe(400);
    // Still not on: a password alone still signs in at this point.
    const other = browser(server, '198.51.100.1');
    expect((await signInWithPassword(other)).headers.get('location')).toBe('/admin/incidents');

    enrolStep = totpStep(Date.now());
    const confirmed = await me.post('/admin/account', { intent: 'totp-confirm', code: totpCodeAt(secret, enrolStep) });
    expect(confirmed.status).toBe(200);
    const html = await confirmed.text();
    expect(html).toContain('shown only this once');
    recovery = recoveryCodesIn(html);
    expect(recovery).toHaveLength(10);

    // Never shown again: no URI, no QR code, no codes.
    const after = await (await me.get('/admin/account')).text();
    expect(after).toContain('Two-factor sign-in is on');
    expect(after).toContain('10 of 10 recovery codes left');
    expect(after).not.toContain('otpauth://');
    expect(after).not.toContain('totp-qr');
    expect(recoveryCodesIn(after)).toEqual([]);
  });

  it('signing in asks for the code after the password; the session comes only with it; a replayed code is refused', async () => {
    const b = browser(server, '198.51.100.2');
    const first = await signInWithPassword(b);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/login/code?next=%2Fadmin%2Fincidents');
    expect(b.jar.has('kaizen_session')).toBe(false);
    expect(b.jar.has('kaizen_pending_sign_in')).toBe(true);
    // The pending sign-in is no session.
    expect((await b.get('/admin/incidents')).headers.get('location')).toMatch(/^\/admin\/login\?next=/);
    const page = await b.get('/admin/login/code?next=%2Fadmin%2Fincidents');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('autocomplete="one-time-code"');

    expect((await b.post('/admin/login/code?next=%2Fadmin%2Fincidents', { code: 'not-a-code' })).status).toBe(401);
    // The enrolment used its step; the next one's code is inside the ±1 window.
    const code = totpCodeAt(secret, enrolStep + 1);
    const done = await b.post('/admin/login/code?next=%2Fadmin%2Fincidents', { code });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/admin/incidents');
    expect(b.jar.has('kaizen_session')).toBe(true);
    expect(b.jar.has('kaizen_pending_sign_in')).toBe(false);
    expect((await b.get('/admin/incidents')).status).toBe(200);

    // Replay: the same code, again, after a fresh correct password.
    const again = browser(server, '198.51.100.2');
    await signInWithPassword(again);
    const replay = await again.post('/admin/login/code', { code });
    expect(replay.status).toBe(401);
    expect(again.jar.has('kaizen_session')).toBe(false);
    // And the enrolment's own code, older than the used one.
    expect((await again.post('/admin/login/code', { code: totpCodeAt(secret, enrolStep) })).status).toBe(401);
  });

  it('a pending sign-in is single use and needs a password first', async () => {
    const b = browser(server, '198.51.100.3');
    expect((await b.get('/admin/login/code')).headers.get('location')).toBe('/admin/login?next=%2Fadmin');
    await signInWithPassword(b);
    const pending = b.jar.get('kaizen_pending_sign_in')!;
    expect((await b.post('/admin/login/code', { code: recovery[0]! })).status).toBe(303);
    // The same pending token once more (a copied cookie): gone.
    const copy = browser(server, '198.51.100.3');
    copy.jar.set('kaizen_pending_sign_in', pending);
    const reused = await copy.post('/admin/login/code', { code: recovery[1]! });
    expect(reused.status).toBe(303);
    expect(reused.headers.get('location')).toBe('/admin/login?next=%2Fadmin&expired=1');
    expect(copy.jar.has('kaizen_session')).toBe(false);
  });

  it('a recovery code works once, in place of the code', async () => {
    const b = browser(server, '198.51.100.4');
    await signInWithPassword(b);
    // recovery[0] was used in the test above.
    expect((await b.post('/admin/login/code', { code: recovery[0]! })).status).toBe(401);
    // Typed in capitals with spaces instead of dashes: the same code.
    const ok = await b.post('/admin/login/code', { code: recovery[1]!.toUpperCase().replaceAll('-', ' ') });
    expect(ok.status).toBe(303);
    expect(b.jar.has('kaizen_session')).toBe(true);
    expect(await (await b.get('/admin/account')).text()).toContain('8 of 10 recovery codes left');
  });

  it('wrong codes count like wrong passwords for the account and address: the sixth try is throttled, even the right one', async () => {
    const b = browser(server, '198.51.100.5');
    await signInWithPassword(b);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await b.post('/admin/login/code', { code: `wrong-${i}` })).status);
    const right = await b.post('/admin/login/code', { code: recovery[2]! });
    statuses.push(right.status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // The password step from this address is throttled too (a new password does not buy new guesses)…
    expect((await signInWithPassword(browser(server, '198.51.100.5'))).status).toBe(429);
    // …while another address signs in, with the recovery code that was refused above, unused.
    const elsewhere = browser(server, '198.51.100.6');
    await signInWithPassword(elsewhere);
    expect((await elsewhere.post('/admin/login/code', { code: recovery[2]! })).status).toBe(303);
  });

  it('new recovery codes replace the old set; turning TOTP off needs a code and brings password-only sign-in back', async () => {
    const regenerated = await me.post('/admin/account', { intent: 'recovery-regenerate', code: recovery[3]! });
    expect(regenerated.status).toBe(200);
    const fresh = recoveryCodesIn(await regenerated.text());
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recovery[4]);

    const b = browser(server, '198.51.100.7');
    await signInWithPassword(b);
    expect((await b.post('/admin/login/code', { code: recovery[4]! })).status).toBe(401);
    expect((await b.post('/admin/login/code', { code: fresh[0]! })).status).toBe(303);

    expect((await me.post('/admin/account', { intent: 'totp-disable', code: 'nope' })).status).toBe(400);
    expect(await (await me.get('/admin/account')).text()).toContain('Two-factor sign-in is on');
    const off = await me.post('/admin/account', { intent: 'totp-disable', code: fresh[1]! });
    expect(off.status).toBe(303);
    expect(await (await me.get('/admin/account?totp=off')).text()).toContain('Two-factor sign-in is off.');
    const plain = browser(server, '198.51.100.8');
    const r = await signInWithPassword(plain);
    expect(r.headers.get('location')).toBe('/admin/incidents');
    expect(plain.jar.has('kaizen_session')).toBe(true);
  });
});

describe('REQUIRE_2FA=1', () => {
  let strictRecovery: string[] = [];
  const userCli = (...args: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', 'src/cli/user.ts', ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: path.join(strict.dataDir, 'status.db'), SITE_URL: strict.url },
  });
  const resetLink = (out: string): URL => new URL(/(http:\/\/\S+\/admin\/reset\?token=\w+)/.exec(out)![1]!);

  it('sends a user without TOTP to enrol and allows nothing else in admin but sign-out, until enrolled', async () => {
    const b = adopt(await firstAdmin(strict), strict);
    for (const p of ['/admin', '/admin/incidents', '/admin/incidents/new', '/admin/users', '/admin/metrics.csv']) {
      const r = await b.get(p);
      expect(r.status, p).toBe(303);
      expect(r.headers.get('location'), p).toBe('/admin/account#two-factor');
    }
    // Form posts elsewhere are refused the same way (nothing is done).
    expect((await b.post('/admin/incidents/new', { title: 'x' })).headers.get('location')).toBe('/admin/account#two-factor');
    const account = await b.get('/admin/account');
    expect(account.status).toBe(200);
    expect(await account.text()).toContain('This site requires two-factor sign-in');

    const { secret } = await startEnrolment(b);
    const step = totpStep(Date.now());
    const confirmed = await b.post('/admin/account', { intent: 'totp-confirm', code: totpCodeAt(secret, step) });
    expect(confirmed.status).toBe(200);
    strictRecovery = recoveryCodesIn(await confirmed.text());
    expect((await b.get('/admin')).status).toBe(200);
    expect((await b.get('/admin/incidents')).status).toBe(200);

    // Signing out is always allowed; after it, signing in needs the code.
    expect((await b.post('/admin/logout', {})).headers.get('location')).toBe('/admin/login');
    const again = await signInWithPassword(b);
    expect(again.headers.get('location')).toMatch(/^\/admin\/login\/code/);
    expect((await b.post('/admin/login/code', { code: totpCodeAt(secret, step + 1) })).status).toBe(303);
    expect((await b.get('/admin/incidents')).status).toBe(200);
  });

  it('a second user, without TOTP, is locked down the same and may sign out', async () => {
    const added = userCli('add', 'second@acme.test');
    expect(added.status).toBe(0);
    const link = resetLink(String(added.stdout));
    const b = browser(strict);
    expect((await b.post(link.pathname + link.search, { password: 'another long passphrase', confirm: 'another long passphrase' })).status).toBe(303);
    expect(b.jar.has('kaizen_session')).toBe(true);
    expect((await b.get('/admin/components')).headers.get('location')).toBe('/admin/account#two-factor');
    expect((await b.get('/admin/account')).status).toBe(200);
    const out = await b.post('/admin/logout', {});
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/login');
    expect(b.jar.has('kaizen_session')).toBe(false);
  });

  it('a password reset link stands in for the password only: a user with TOTP still gets the second step', async () => {
    const reset = userCli('reset-password', ADMIN_EMAIL);
    expect(reset.status).toBe(0);
    const link = resetLink(String(reset.stdout));
    const b = browser(strict);
    const r = await b.post(link.pathname + link.search, { password: 'a brand new long passphrase', confirm: 'a brand new long passphrase' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin/login/code');
    expect(b.jar.has('kaizen_session')).toBe(false);
    expect((await b.get('/admin/incidents')).headers.get('location')).toMatch(/^\/admin\/login\?next=/);
    expect((await b.post('/admin/login/code', { code: strictRecovery[0]! })).status).toBe(303);
    expect((await b.get('/admin/incidents')).status).toBe(200);
  });
});
