// Single sign-on against a real OpenID Connect provider (oidc-provider on 127.0.0.1) and the real built server, over
// HTTP with a cookie jar: accounts created with the mapped role, every refusal a clear page with nothing created,
// state and the browser's flow checked, password sign-in switched off, and a provider that is down.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminClient, firstAdmin } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startProvider, ssoEnv, type TestProvider } from '../helpers/oidc-provider.ts';
import { atPublicUrl, freePort, startServer, type RunningServer } from '../helpers/server.ts';
import { browse, dropCookie, newJar, request, type Jar } from '../helpers/sso-client.ts';

let fixture: Fixture;
let provider: TestProvider;
/** Single sign-on and passwords. */
let server: RunningServer;
/** PASSWORD_SIGN_IN=off. */
let ssoOnly: RunningServer;
/** OIDC_ISSUER points at a port nobody listens on. */
let providerDown: RunningServer;
/** OIDC_ROLE_MAP=*=viewer (roles managed here) and REQUIRE_2FA=1. */
let rolesHere: RunningServer;

const root = path.resolve(import.meta.dirname, '../..');
/**
 * `npm run user -- …` against a server's database. Asynchronous: a blocked event loop would miss the server closing
 * idle keep-alive connections, and the next request would go out on a closed one.
 */
async function userCli(s: RunningServer, ...args: string[]): Promise<string> {
  const r = await promisify(execFile)(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/user.ts', ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: path.join(s.dataDir, 'status.db'), SITE_URL: s.url },
  });
  return r.stdout;
}

const CALLBACK = '/admin/login/sso/callback';
const isCallback = (u: URL): boolean => u.pathname === CALLBACK;

function rows<T>(s: RunningServer, query: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(s.dataDir, 'status.db'), { readonly: true });
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}
const userRow = (s: RunningServer, email: string): { role: string; sso_subject: string | null; password_hash: string | null } | undefined =>
  rows<{ role: string; sso_subject: string | null; password_hash: string | null }>(s, 'select role, sso_subject, password_hash from app_user where email = ?', email)[0];
const sessionCount = (s: RunningServer): number => rows<{ n: number }>(s, 'select count(*) as n from user_session')[0]!.n;
const audits = (s: RunningServer, action: string): string[] => rows<{ actor: string; detail: string | null }>(s, 'select actor, detail from audit_log where action = ? order by at', action).map((r) => `${r.actor}: ${r.detail ?? ''}`);
const alertText = (html: string): string => (/role="alert">([^<]*)</.exec(html)?.[1] ?? '').replace(/&#39;/g, "'").replace(/&quot;|&#34;/g, '"').replace(/&amp;/g, '&');

/** Signs in through the provider as `login` from a fresh browser; returns where it ended. */
async function ssoSignIn(s: RunningServer, login: string, next = '/admin'): Promise<{ jar: Jar; url: URL; response: Response }> {
  const jar = newJar();
  const end = await browse(jar, new URL(`/admin/login/sso?next=${encodeURIComponent(next)}`, s.url), { login });
  return { jar, url: end.url, response: end.response! };
}

/** Signs in as `login` at the provider and stops before the browser reaches our callback. */
async function untilCallback(s: RunningServer, login: string): Promise<{ jar: Jar; callback: URL }> {
  const jar = newJar();
  const end = await browse(jar, new URL('/admin/login/sso', s.url), { login, stopBefore: isCallback });
  if (end.response !== null) throw new Error(`never reached the callback; ended at ${end.url.href}`);
  return { jar, callback: end.url };
}

beforeAll(async () => {
  fixture = createFixture(Date.now());
  const [main, off, here] = [await atPublicUrl(), await atPublicUrl(), await atPublicUrl()];
  provider = await startProvider([main, off, here].map((e) => `${e.SITE_URL}${CALLBACK}`));
  provider.accounts.set('alice', { email: 'Alice@acme.test', email_verified: true, groups: ['status-admins'] });
  provider.accounts.set('bob', { email: 'bob@acme.test', email_verified: true, groups: ['status-oncall', 'staff'] });
  provider.accounts.set('eve', { email: 'eve@evil.test', email_verified: true, groups: ['status-admins'] });
  provider.accounts.set('nog', { email: 'nog@acme.test', email_verified: true, groups: ['marketing'] });
  provider.accounts.set('una', { email: 'una@acme.test', email_verified: false, groups: ['status-admins'] });
  const deadPort = await freePort();
  [server, ssoOnly, providerDown, rolesHere] = await Promise.all([
    startServer({ contentDir: fixture.dir, env: { ...main, ...ssoEnv(provider) } }),
    startServer({ contentDir: fixture.dir, env: { ...off, ...ssoEnv(provider), PASSWORD_SIGN_IN: 'off' } }),
    startServer({ contentDir: fixture.dir, env: { ...await atPublicUrl(), ...ssoEnv(provider, { OIDC_ISSUER: `http://127.0.0.1:${deadPort}` }) } }),
    startServer({ contentDir: fixture.dir, env: { ...here, ...ssoEnv(provider, { OIDC_ROLE_MAP: '*=viewer' }), REQUIRE_2FA: '1' } }),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([server?.stop(), ssoOnly?.stop(), providerDown?.stop(), rolesHere?.stop()]);
  await provider?.stop();
  fixture?.cleanup();
});

describe('single sign-on', () => {
  it('the sign-in page offers "Sign in with Acme ID" next to the password form', async () => {
    const html = await (await server.get('/admin/login?next=/admin/incidents')).text();
    expect(html).toContain('href="/admin/login/sso?next=%2Fadmin%2Fincidents"');
    expect(html).toContain('Sign in with Acme ID');
    expect(html).toContain('name="password"');
  });

  it('a first sign-in creates the account with the mapped role and lands signed in where it was going', async () => {
    expect(userRow(server, 'alice@acme.test')).toBeUndefined();
    const { url, response, jar } = await ssoSignIn(server, 'alice', '/admin/incidents');
    expect(url.origin + url.pathname).toBe(`${server.url}/admin/incidents`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('alice@acme.test');
    expect(userRow(server, 'alice@acme.test')).toEqual({ role: 'admin', sso_subject: 'alice', password_hash: null });
    expect(audits(server, 'user_created')).toContainEqual('alice@acme.test: first single sign-on, role admin');
    expect(audits(server, 'sign_in').at(-1)).toMatch(/^alice@acme\.test: from 127\.0\.0\.1, via single sign-on \(127\.0\.0\.1:\d+\)$/);
    // An admin: the users page shows the account as active through single sign-on.
    const users = await request(jar, new URL('/admin/users', server.url));
    expect(users.status).toBe(200);
    expect(await users.text()).toContain('Active (single sign-on)');
  });

  it('a second sign-in reuses the account, and its role follows the mapping (audited)', async () => {
    const first = await ssoSignIn(server, 'bob');
    expect(first.url.pathname).toBe('/admin');
    expect(userRow(server, 'bob@acme.test')?.role).toBe('responder');
    provider.accounts.set('bob', { email: 'bob@acme.test', email_verified: true, groups: ['staff'] });
    const second = await ssoSignIn(server, 'bob');
    expect(second.url.pathname).toBe('/admin');
    expect(rows(server, 'select id from app_user where email = ?', 'bob@acme.test')).toHaveLength(1);
    expect(userRow(server, 'bob@acme.test')?.role).toBe('viewer');
    expect(audits(server, 'user_role_changed')).toContainEqual('single sign-on: Responder → Viewer');
    // As a viewer now, the new-incident page is refused.
    expect((await request(second.jar, new URL('/admin/incidents/new', server.url))).status).toBe(403);
  });

  it('never demotes the last admin: the role stays and the sign-in says why', async () => {
    provider.accounts.set('alice', { email: 'alice@acme.test', email_verified: true, groups: ['staff'] });
    try {
      const { url } = await ssoSignIn(server, 'alice');
      expect(url.pathname).toBe('/admin');
      expect(userRow(server, 'alice@acme.test')?.role).toBe('admin');
      expect(audits(server, 'sign_in').at(-1)).toContain('kept Admin: the last admin cannot be demoted');
    } finally {
      provider.accounts.set('alice', { email: 'alice@acme.test', email_verified: true, groups: ['status-admins'] });
    }
  });

  it.each([
    ['eve', 'eve@evil.test', 403, 'Your email address is not in a domain allowed to sign in here.'],
    ['nog', 'nog@acme.test', 403, 'Your account at the provider is in no group that gives access here.'],
    ['una', 'una@acme.test', 403, 'Acme ID does not say your email address is verified'],
  ])('%s is refused with a clear page and nothing is created', async (login, email, status, message) => {
    const sessions = sessionCount(server);
    const { url, response } = await ssoSignIn(server, login);
    expect(url.pathname).toBe('/admin/login');
    expect(response.status).toBe(status);
    expect(alertText(await response.text())).toContain(message);
    expect(userRow(server, email)).toBeUndefined();
    expect(sessionCount(server)).toBe(sessions);
    expect(response.headers.get('set-cookie') ?? '').not.toContain('kaizen_session=');
  });

  it('refuses a callback whose state was tampered with, and the flow cannot be used after', async () => {
    const sessions = sessionCount(server);
    const { jar, callback } = await untilCallback(server, 'alice');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'attacker-chosen-state');
    const refused = await browse(jar, forged);
    expect(refused.url.pathname).toBe('/admin/login');
    expect(refused.response!.status).toBe(400);
    expect(alertText(await refused.response!.text())).toContain('does not belong to the sign-in started in this browser');
    // The genuine answer arrives late: the flow was used up by the forged one.
    const late = await browse(jar, callback);
    expect(late.response!.status).toBe(400);
    expect(alertText(await late.response!.text())).toContain('was already used');
    expect(sessionCount(server)).toBe(sessions);
  });

  it('refuses a replayed callback, even with the flow cookie it came with', async () => {
    const { jar, callback } = await untilCallback(server, 'alice');
    const flowCookie = [...jar.cookies.values()].find((c) => c.name === 'kaizen_sso_flow')!;
    const first = await browse(jar, callback);
    expect(first.url.pathname).toBe('/admin');
    const sessions = sessionCount(server);
    const attacker = newJar();
    attacker.cookies.set('flow', flowCookie);
    const replay = await browse(attacker, callback);
    expect(replay.url.pathname).toBe('/admin/login');
    expect(replay.response!.status).toBe(400);
    expect(sessionCount(server)).toBe(sessions);
  });

  it('refuses a code brought back without the browser\'s flow cookie (another browser, or no PKCE verifier)', async () => {
    const sessions = sessionCount(server);
    const { jar, callback } = await untilCallback(server, 'alice');
    dropCookie(jar, new URL(server.url).origin, 'kaizen_sso_flow');
    const refused = await browse(jar, callback);
    expect(refused.url.pathname).toBe('/admin/login');
    expect(refused.response!.status).toBe(400);
    // A browser with a flow of its own does not get to finish someone else's.
    const other = newJar();
    const own = await browse(other, new URL('/admin/login/sso', server.url), { stopBefore: (u) => u.origin === provider.issuer });
    expect(own.url.origin).toBe(provider.issuer);
    const second = await untilCallback(server, 'alice');
    const crossed = await browse(other, second.callback);
    expect(crossed.response!.status).toBe(400);
    expect(sessionCount(server)).toBe(sessions);
  });

  it('says the provider refused when it answers access_denied', async () => {
    const jar = newJar();
    const atProvider = await browse(jar, new URL('/admin/login/sso', server.url), { stopBefore: (u) => u.origin === provider.issuer });
    const state = atProvider.url.searchParams.get('state')!;
    expect(atProvider.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(atProvider.url.searchParams.get('nonce')).toBeTruthy();
    const denied = await browse(jar, new URL(`${CALLBACK}?error=access_denied&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(provider.issuer)}`, server.url));
    expect(denied.response!.status).toBe(403);
    expect(alertText(await denied.response!.text())).toBe('Acme ID did not let you in (access denied). Nothing was changed here.');
  });
});

describe('PASSWORD_SIGN_IN=off', () => {
  it('hides the password form and refuses a password post, even with the right password', async () => {
    await firstAdmin(ssoOnly);
    const page = await (await ssoOnly.get('/admin/login')).text();
    expect(page).not.toContain('name="password"');
    expect(page).toContain('Sign in with Acme ID');
    const client = adminClient(ssoOnly);
    const r = await client.post('/admin/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(r.status).toBe(403);
    expect(alertText(await r.text())).toBe('Password sign-in is turned off on this site. Use "Sign in with Acme ID" instead.');
    expect(client.cookie).toBeNull();
  });

  it('single sign-on still signs in', async () => {
    const { url, response } = await ssoSignIn(ssoOnly, 'bob');
    expect(url.pathname).toBe('/admin');
    expect(response.status).toBe(200);
  });

  it('the break-glass path works: a reset link from npm run user signs in without the provider', async () => {
    const link = new URL(/(http:\/\/\S+\/admin\/reset\?token=\w+)/.exec(await userCli(ssoOnly, 'reset-password', ADMIN_EMAIL))![1]!);
    const client = adminClient(ssoOnly);
    const r = await client.post(link.pathname + link.search, { password: 'violet tractor under moonlight', confirm: 'violet tractor under moonlight' });
    expect(r.status).toBe(303);
    expect(client.cookie).not.toBeNull();
    expect((await client.get('/admin')).status).toBe(200);
  }, 90_000);
});

describe('a role map of only * (roles managed here) with REQUIRE_2FA=1', () => {
  it('creates new accounts with that role and leaves an existing account\'s role alone', async () => {
    await userCli(rolesHere, 'add', 'bob@acme.test', '--role', 'responder');
    const bob = await ssoSignIn(rolesHere, 'bob');
    expect(userRow(rolesHere, 'bob@acme.test')?.role).toBe('responder');
    expect(audits(rolesHere, 'user_role_changed')).toEqual([]);
    // No password, signed in through the provider: its second factor counts, no enrolment here.
    expect(bob.url.pathname).toBe('/admin');
    expect(bob.response.status).toBe(200);
    const nog = await ssoSignIn(rolesHere, 'nog');
    expect(nog.url.pathname).toBe('/admin');
    expect(userRow(rolesHere, 'nog@acme.test')?.role).toBe('viewer');
    expect(await userCli(rolesHere, 'list')).toMatch(/^bob@acme\.test\tactive \(single sign-on\)\t.*\tresponder$/m);
  }, 90_000);
});

describe('a provider that is down', () => {
  it('gives a clear message, and password sign-in is unaffected', async () => {
    const jar = newJar();
    const end = await browse(jar, new URL('/admin/login/sso', providerDown.url));
    expect(end.url.pathname).toBe('/admin/login');
    expect(end.response!.status).toBe(503);
    const message = alertText(await end.response!.text());
    expect(message).toMatch(/^Single sign-on is unavailable right now \(127\.0\.0\.1:\d+ could not be reached or answered wrongly: .*ECONNREFUSED.*\)\. Try again in a minute, or sign in with your email and password below\.$/);
    await firstAdmin(providerDown);
    const client = adminClient(providerDown);
    const r = await client.post('/admin/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin');
  });
});
