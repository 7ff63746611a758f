// What must hold behind a TLS proxy from docs/deploy.md, whichever proxy: run by proxy-nginx and proxy-caddy tests.
// Clients connect from different loopback addresses (127.0.0.2, .3 …), real source addresses the proxy sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './admin-client.ts';
import { createFixture, type Fixture } from './fixture.ts';
import { freePort, startServer, type RunningServer } from './server.ts';
import { auditEntries, httpsFrom, sessionCookie, type Answer } from './tls-proxy.ts';

export interface RunningProxy {
  /** The public https URL, https://127.0.0.1:<port>. */
  url: string;
  /** The proxy's certificate authority (its self-signed certificate). */
  ca: string;
  /** Its plain-http port, which redirects to https. */
  redirectPort: number;
  stop: () => Promise<void>;
}

const HSTS = 'max-age=31536000; includeSubDomains';

/** Starts the built server as the docs say (SITE_URL https, TRUST_PROXY=127.0.0.1) and `start`s the proxy in front. */
export function describeBehindProxy(name: string, start: (publicPort: number, appPort: number) => Promise<RunningProxy>): void {
  describe(`behind ${name}`, () => {
    let fixture: Fixture;
    let server: RunningServer;
    let proxy: RunningProxy;
    const from = (client: string, p: string, init: Parameters<typeof httpsFrom>[3] = {}): Promise<Answer> => httpsFrom(client, new URL(p, proxy.url).href, proxy.ca, init);
    const post = (client: string, p: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> =>
      from(client, p, { form, headers: { origin: new URL(proxy.url).origin, ...headers } });
    const signIn = (client: string, email: string, password: string, headers: Record<string, string> = {}): Promise<number> =>
      post(client, '/admin/login', { email, password }, headers).then((a) => a.status);

    beforeAll(async () => {
      const publicPort = await freePort();
      const appPort = await freePort();
      fixture = createFixture(Date.now());
      server = await startServer({
        contentDir: fixture.dir,
        env: { PORT: String(appPort), SITE_URL: `https://127.0.0.1:${publicPort}`, TRUST_PROXY: '127.0.0.1' },
      });
      proxy = await start(publicPort, appPort);
    });
    afterAll(async () => {
      await proxy?.stop();
      await server?.stop();
      fixture?.cleanup();
    });

    it('creates the first admin over https with a Secure session cookie; a foreign Origin gets 403', async () => {
      const link = /(https:\/\/\S+\/admin\/setup\?token=\w+)/.exec(server.output())?.[1];
      expect(link).toMatch(new RegExp(`^${proxy.url}/admin/setup`));
      const u = new URL(link!);
      const foreign = await post('127.0.0.2', u.pathname + u.search, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD }, { origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      const insecureTwin = await post('127.0.0.2', u.pathname + u.search, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD }, { origin: proxy.url.replace('https:', 'http:') });
      expect(insecureTwin.status).toBe(403);
      const created = await post('127.0.0.2', u.pathname + u.search, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD });
      expect(created.status).toBe(303);
      const cookie = sessionCookie(created);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      const dashboard = await from('127.0.0.2', '/admin', { headers: { cookie: cookie!.split(';')[0]! } });
      expect(dashboard.status).toBe(200);
      expect(dashboard.body).toContain('Dashboard');
    });

    it('sends Strict-Transport-Security on every response: pages, static files, health, admin, errors', async () => {
      for (const p of ['/', '/favicon.svg', '/healthz', '/readyz', '/admin/login', '/api/v2/status.json', '/no-such-page']) {
        const a = await from('127.0.0.3', p);
        expect([p, a.headers['strict-transport-security']]).toEqual([p, HSTS]);
      }
    });

    it('redirects plain http to https', async () => {
      const r = await fetch(`http://127.0.0.1:${proxy.redirectPort}/incidents/x?y=1`, { redirect: 'manual' });
      expect([301, 302, 308]).toContain(r.status);
      expect(r.headers.get('location')).toMatch(/^https:\/\/127\.0\.0\.1(:\d+)?\/incidents\/x\?y=1$/);
    });

    it('gives each client its own address: one locked out of an account leaves the owner signing in from theirs', async () => {
      for (let i = 0; i < 5; i++) expect(await signIn('127.0.0.4', ADMIN_EMAIL, `guess ${i} from afar`)).toBe(401);
      expect(await signIn('127.0.0.4', ADMIN_EMAIL, ADMIN_PASSWORD)).toBe(429);
      expect(await signIn('127.0.0.5', ADMIN_EMAIL, ADMIN_PASSWORD)).toBe(303);
      expect(auditEntries(server.dataDir, 'sign_in_failed').filter((e) => e.startsWith(ADMIN_EMAIL))).toEqual(Array.from({ length: 5 }, () => `${ADMIN_EMAIL} from 127.0.0.4`));
      expect(auditEntries(server.dataDir, 'sign_in').at(-1)).toBe(`${ADMIN_EMAIL} from 127.0.0.5`);
    });

    it('20 failed sign-ins from one client throttle that client only', async () => {
      for (let i = 0; i < 20; i++) expect(await signIn('127.0.0.6', `spray${i}@acme.test`, 'password spraying!')).toBe(401);
      expect(await signIn('127.0.0.6', 'spray20@acme.test', 'password spraying!')).toBe(429);
      expect(await signIn('127.0.0.7', 'spray20@acme.test', 'password spraying!')).toBe(401);
    });

    it('20 subscribes from one client do not block another', async () => {
      const subscribe = (client: string, i: number): Promise<number> => post(client, '/subscribe', { email: `reader${i}@example.com` }).then((a) => a.status);
      for (let i = 0; i < 20; i++) expect(await subscribe('127.0.0.8', i)).toBe(200);
      expect(await subscribe('127.0.0.8', 20)).toBe(429);
      expect(await subscribe('127.0.0.9', 21)).toBe(200);
    });

    it('ignores an X-Forwarded-For the client sends: the throttle and the audit log use its real address', async () => {
      const statuses: number[] = [];
      for (let i = 1; i <= 6; i++) statuses.push(await signIn('127.0.0.10', 'forged@acme.test', `forged guess ${i}!!`, { 'x-forwarded-for': `203.0.113.${i}` }));
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expect(auditEntries(server.dataDir, 'sign_in_failed').filter((e) => e.startsWith('forged@'))).toEqual(Array.from({ length: 5 }, () => 'forged@acme.test from 127.0.0.10'));
      // Nor can a client claim to be the proxy itself.
      expect(await signIn('127.0.0.11', 'forged2@acme.test', 'forged guess!!', { 'x-forwarded-for': '127.0.0.1' })).toBe(401);
      expect(auditEntries(server.dataDir, 'sign_in_failed').at(-1)).toBe('forged2@acme.test from 127.0.0.11');
    });
  });
}
