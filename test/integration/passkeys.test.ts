// Passkeys over HTTP against the built server, answered by the software authenticator: the endpoints' origin check,
// rules and headers; REQUIRE_2FA satisfied by a passkey; the second step and passwordless sign-in with real cookies;
// refused answers throttled with 429 and Retry-After; with TOTP too, the second step offers both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, firstAdmin } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { freePort, startServer, type RunningServer } from '../helpers/server.ts';
import { decodeBase32IgnorePadding, encodeHexLowerCase } from '@oslojs/encoding';
import { totpCodeAt, totpStep } from '../../src/lib/server/auth/totp-code.ts';
import { assert, createCredential, type Claim, type SoftCredential } from '../helpers/soft-authenticator.ts';

let fixture: Fixture;
let server: RunningServer;
let site: string;
let claim: Claim;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  const port = await freePort();
  site = `http://localhost:${port}`;
  claim = { rpId: 'localhost', origin: site };
  server = await startServer({ contentDir: fixture.dir, env: { PORT: String(port), SITE_URL: site, REQUIRE_2FA: '1', TRUST_PROXY: '127.0.0.1' } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

/** A browser-like client from one address: keeps its cookies, sends the site's Origin on posts (unless told not to). */
function client(ip: string, cookie: string | null = null) {
  const jar = new Map<string, string>();
  if (cookie) jar.set(cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1));
  const keep = (r: Response): Response => {
    for (const c of r.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return r;
  };
  const headers = (): Record<string, string> => ({ 'x-forwarded-for': ip, ...(jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) });
  return {
    jar,
    get: async (p: string) => keep(await server.get(p, { headers: headers() })),
    post: async (p: string, fields: Record<string, string>, origin: string | null = site) => keep(await server.get(p, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...(origin ? { origin } : {}) },
    })),
  };
}

let credential: SoftCredential;

describe('passkeys over HTTP', () => {
  it('lets a signed-in user add a passkey, which satisfies REQUIRE_2FA', async () => {
    const admin = await firstAdmin(server);
    const me = client('192.0.2.1', admin.cookie);
    expect((await me.get('/admin')).headers.get('location')).toBe('/admin/account#two-factor');
    const page = await (await me.get('/admin/account')).text();
    expect(page).toContain('Set up an authenticator app or add a passkey below');
    expect(page).toContain('data-passkey="register" hidden');

    // A state change: refused without this site's Origin.
    expect((await me.post('/admin/account/passkeys', { action: 'options' }, null)).status).toBe(403);
    expect((await me.post('/admin/account/passkeys', { action: 'options' }, 'https://evil.example')).status).toBe(403);
    // Without a session: sent to sign in.
    expect((await client('192.0.2.1').post('/admin/account/passkeys', { action: 'options' })).status).toBe(303);
    // An action without a rule.
    expect((await me.post('/admin/account/passkeys', { action: 'delete-all' })).status).toBe(403);

    const r = await me.post('/admin/account/passkeys', { action: 'options' });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('private, no-store');
    const options = await r.json();
    expect(options.rp).toMatchObject({ id: 'localhost' });
    expect(options.user.name).toBe(ADMIN_EMAIL);
    const made = createCredential(options, claim);
    credential = made.credential;
    const bad = await me.post('/admin/account/passkeys', { action: 'register', name: '   ', response: made.json });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, field: 'name', error: expect.stringMatching(/^Name: /) });
    const ok = await me.post('/admin/account/passkeys', { action: 'register', name: 'Soft key', response: made.json });
    expect(await ok.json()).toEqual({ ok: true, name: 'Soft key' });
    expect((await me.get('/admin')).status).toBe(200);
    expect(await (await me.get('/admin/account')).text()).toContain('Soft key');
  });

  it('asks for the passkey after the password; the code page offers it, and it finishes the sign-in', async () => {
    const b = client('192.0.2.2');
    const signIn = await b.post('/admin/login?next=%2Fadmin%2Fincidents', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(signIn.headers.get('location')).toBe('/admin/login/code?next=%2Fadmin%2Fincidents');
    expect(b.jar.has('kaizen_session')).toBe(false);
    const code = await (await b.get('/admin/login/code?next=%2Fadmin%2Fincidents')).text();
    expect(code).toContain('Use a passkey');
    expect(code).not.toContain('name="code"');

    const options = await (await b.post('/admin/login/passkey', { action: 'options', step: 'second' })).json();
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([credential.id]);
    const done = await b.post('/admin/login/passkey', { action: 'verify', step: 'second', next: '/admin/incidents', response: assert(credential, options, claim) });
    expect(await done.json()).toEqual({ ok: true, next: '/admin/incidents' });
    expect(b.jar.has('kaizen_session')).toBe(true);
    expect(b.jar.has('kaizen_pending_sign_in')).toBe(false);
    expect((await b.get('/admin/incidents')).status).toBe(200);
    // Without the pending sign-in, the second step starts over.
    const again = await b.post('/admin/login/passkey', { action: 'options', step: 'second' });
    expect(again.status).toBe(409);
    expect((await again.json()).restart).toMatch(/^\/admin\/login\?next=%2Fadmin&expired=1$/);
  });

  it('signs in with the passkey alone; refused answers are throttled like wrong passwords', async () => {
    const c = client('192.0.2.3');
    const options = await (await c.post('/admin/login/passkey', { action: 'options', step: 'passwordless' })).json();
    expect(options.userVerification).toBe('required');
    expect(options.allowCredentials ?? []).toEqual([]);
    const done = await c.post('/admin/login/passkey', { action: 'verify', step: 'passwordless', response: assert(credential, options, claim) });
    expect(await done.json()).toEqual({ ok: true, next: '/admin' });
    expect((await c.get('/admin')).status).toBe(200);

    const d = client('192.0.2.4');
    const phishing = { rpId: 'localhost', origin: 'http://localhost.evil.example' };
    for (let i = 0; i < 5; i++) {
      const o = await (await d.post('/admin/login/passkey', { action: 'options', step: 'passwordless' })).json();
      const r = await d.post('/admin/login/passkey', { action: 'verify', step: 'passwordless', response: assert(credential, o, phishing) });
      expect(r.status).toBe(401);
      expect((await r.json()).error).toMatch(/not accepted/);
    }
    const o = await (await d.post('/admin/login/passkey', { action: 'options', step: 'passwordless' })).json();
    const throttled = await d.post('/admin/login/passkey', { action: 'verify', step: 'passwordless', response: assert(credential, o, claim) });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // The password from that address waits too.
    expect((await d.post('/admin/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(429);
  });

  it('offers both the passkey and the code to a user with TOTP as well; either finishes the sign-in', async () => {
    const me = client('192.0.2.5');
    const o = await (await me.post('/admin/login/passkey', { action: 'options', step: 'passwordless' })).json();
    expect(await (await me.post('/admin/login/passkey', { action: 'verify', step: 'passwordless', response: assert(credential, o, claim) })).json()).toMatchObject({ ok: true });
    expect((await me.post('/admin/account', { intent: 'totp-start' })).status).toBe(303);
    const uri = /<p class="totp-uri" id="totp-uri">([^<]+)<\/p>/.exec(await (await me.get('/admin/account')).text())![1]!.replaceAll('&amp;', '&');
    const secret = encodeHexLowerCase(decodeBase32IgnorePadding(new URL(uri).searchParams.get('secret')!));
    const step = totpStep(Date.now());
    expect((await me.post('/admin/account', { intent: 'totp-confirm', code: totpCodeAt(secret, step) })).status).toBe(200);

    const b = client('192.0.2.6');
    await b.post('/admin/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const code = await (await b.get('/admin/login/code')).text();
    expect(code).toContain('Use your passkey, or enter the six-digit code');
    expect(code).toContain('Use a passkey');
    expect(code).toContain('name="code"');
    const typed = await b.post('/admin/login/code', { code: totpCodeAt(secret, step + 1) });
    expect(typed.headers.get('location')).toBe('/admin');
    expect(b.jar.has('kaizen_session')).toBe(true);

    const c = client('192.0.2.7');
    await c.post('/admin/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const options = await (await c.post('/admin/login/passkey', { action: 'options', step: 'second' })).json();
    expect(await (await c.post('/admin/login/passkey', { action: 'verify', step: 'second', response: assert(credential, options, claim) })).json()).toEqual({ ok: true, next: '/admin' });
  });
});
