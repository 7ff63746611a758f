// Sign-in over HTTP against the built server: weak passwords refused with the reason, the throttle not raced by
// parallel guesses, and the client address taken from X-Forwarded-For only from a trusted proxy (TRUST_PROXY).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminClient, firstAdmin, setupLinkFrom, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
/** Served at its public URL (Host matches SITE_URL), trusting no proxy. */
let direct: RunningServer;
/** Behind a proxy at 127.0.0.1 (the test plays it): TRUST_PROXY=127.0.0.1. */
let proxied: RunningServer;
let admin: AdminClient;

const form = (server: RunningServer, p: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> =>
  server.get(p, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { origin: new URL(server.url).origin, 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
const errorText = async (r: Response): Promise<string> => [...(await r.text()).matchAll(/class="(?:form-error|field-error)[^"]*"[^>]*>([^<]*)</g)].map((m) => m[1]!.replace(/&quot;|&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')).join(' | ');
const audit = (server: RunningServer, action: string): string[] => {
  const db = new Database(path.join(server.dataDir, 'status.db'), { readonly: true });
  try {
    return (db.prepare('select actor, detail from audit_log where action = ? order by at').all(action) as { actor: string; detail: string }[]).map((r) => `${r.actor} ${r.detail}`);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  fixture = createFixture(Date.now());
  [direct, proxied] = await Promise.all([
    startServer({ contentDir: fixture.dir, env: await atPublicUrl() }),
    startServer({ contentDir: fixture.dir, env: { TRUST_PROXY: '127.0.0.1' } }),
  ]);
  admin = await firstAdmin(proxied);
});
afterAll(async () => {
  await direct?.stop();
  await proxied?.stop();
  fixture?.cleanup();
});

describe('passwords', () => {
  it('the setup link refuses common passwords and ones built from the site name or the email, saying why', async () => {
    const link = new URL(setupLinkFrom(direct.output()));
    const attempt = (password: string, email = 'jane.doe@acme.test'): Promise<Response> => form(direct, link.pathname + link.search, { email, password, confirm: password });
    const common = await attempt('password1234');
    expect(common.status).toBe(400);
    expect(await errorText(common)).toContain('Password is too common: it is similar to a commonly used password; add a few unrelated words.');
    expect(await errorText(await attempt('AcmeCloud2026!'))).toContain('Password contains the site name ("acmecloud")');
    expect(await errorText(await attempt('hello jane how are you'))).toContain('Password contains your email address ("jane")');
    expect(await errorText(await attempt('aaaaaaaaaaaa'))).toContain('Password is too easy to guess');
    expect((await attempt('violet tractor under moonlight')).status).toBe(303);
  });

  it('an invitation or reset link refuses them too, against the account it is for', async () => {
    const invited = await admin.post('/admin/users', { action: 'invite', email: 'sam.rivers@acme.test', role: 'admin' });
    const token = /\/admin\/reset\?token=(\w+)/.exec(await invited.text())![1]!;
    const set = (password: string): Promise<Response> => form(proxied, `/admin/reset?token=${token}`, { password, confirm: password });
    const weak = await set('monkey123456');
    expect(weak.status).toBe(400);
    expect(await errorText(weak)).toContain('Password is too common');
    expect(await errorText(await set('rivers and more rivers'))).toContain('Password contains your email address ("rivers")');
    expect(await errorText(await set('my acme cloud login'))).toContain('Password contains the site name');
    expect((await set('violet tractor under moonlight')).status).toBe(303);
  });
});

describe('the throttle', () => {
  it('40 parallel wrong guesses at one account are answered 401 at most 5 times, and 5 failures are audited', async () => {
    const before = audit(proxied, 'sign_in_failed').length;
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => form(proxied, '/admin/login', { email: ADMIN_EMAIL, password: `parallel guess ${i}!` }, { 'x-forwarded-for': '198.51.100.40' }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    expect(audit(proxied, 'sign_in_failed').length - before).toBe(5);
  });
});

describe('the client address', () => {
  it('without TRUST_PROXY, a client-sent X-Forwarded-For is ignored by the throttle and the audit log', async () => {
    const guess = (i: number): Promise<Response> => form(direct, '/admin/login', { email: 'target@acme.test', password: `forged guess ${i}!!` }, { 'x-forwarded-for': `203.0.113.${i}` });
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await guess(i)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(audit(direct, 'sign_in_failed')).toEqual(Array.from({ length: 5 }, () => 'target@acme.test from 127.0.0.1'));
  });

  it('behind a trusted proxy, each client has its own address: one locked out of an account leaves the owner signing in', async () => {
    const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 5; i++) expect((await form(proxied, '/admin/login', { email: ADMIN_EMAIL, password: `guess ${i} from afar` }, from('198.51.100.7'))).status).toBe(401);
    expect((await form(proxied, '/admin/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, from('198.51.100.7'))).status).toBe(429);
    expect((await form(proxied, '/admin/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, from('203.0.113.5'))).status).toBe(303);
    expect(audit(proxied, 'sign_in_failed').filter((a) => a.endsWith('from 198.51.100.7'))).toHaveLength(5);
    expect(audit(proxied, 'sign_in').at(-1)).toBe(`${ADMIN_EMAIL} from 203.0.113.5`);
  });

  it('behind a trusted proxy, 20 subscribes from one client do not block another', async () => {
    const subscribe = (i: number, ip: string): Promise<number> => form(proxied, '/subscribe', { email: `reader${i}@example.com` }, { 'x-forwarded-for': ip }).then((r) => r.status);
    for (let i = 0; i < 20; i++) expect(await subscribe(i, '198.51.100.20')).toBe(200);
    expect(await subscribe(20, '198.51.100.20')).toBe(429);
    expect(await subscribe(21, '198.51.100.21')).toBe(200);
  });

  it('behind a trusted proxy, an entry the client wrote left of the proxy’s is not believed', async () => {
    const r = await form(proxied, '/admin/login', { email: 'forger@acme.test', password: 'forged and wrong!' }, { 'x-forwarded-for': '10.9.9.9, 198.51.100.99' });
    expect(r.status).toBe(401);
    expect(audit(proxied, 'sign_in_failed').at(-1)).toBe('forger@acme.test from 198.51.100.99');
  });
});
