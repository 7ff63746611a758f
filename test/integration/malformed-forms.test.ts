// Malformed form bodies over HTTP: every form route answers 400 naming the problem (bad percent-encoding, invalid
// UTF-8, a content type that is not a form, broken multipart), never 500; well-formed multipart still works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir, env: await atPublicUrl() });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

/** Every route that takes a form post (each page that reads one, and the one-click unsubscribe). */
const routes = [
  '/admin/login', '/admin/setup?token=x', '/admin/reset?token=x', '/admin/logout', '/admin/account', '/admin/users',
  '/admin/components', '/admin/subscribers', '/admin/emails', '/admin/mirror', '/admin/incidents/new',
  '/admin/incidents/open-api-errors', '/admin/maintenance', '/admin/maintenance/db-upgrade',
  '/admin/postmortems/old-dashboard-outage', '/subscribe', '/manage/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '/unsubscribe/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
];

const boundary = 'kaizenBoundary42';
/** Each kind of malformed body, with what the answer must say. */
const bodies: { kind: string; type: string; body: Uint8Array<ArrayBuffer> | string; says: string }[] = [
  { kind: 'bad percent-encoding', type: 'application/x-www-form-urlencoded', body: 'email=a%zz&password=x', says: '"%zz" is not a percent-escape' },
  { kind: 'percent-escaped invalid UTF-8', type: 'application/x-www-form-urlencoded', body: 'email=%C3%28&password=x', says: 'not valid UTF-8' },
  { kind: 'raw invalid UTF-8', type: 'application/x-www-form-urlencoded', body: new Uint8Array([0x65, 0x3d, 0xff, 0xfe]), says: 'not valid UTF-8' },
  { kind: 'text/plain', type: 'text/plain', body: 'email=a', says: 'sent as text/plain; it must be application/x-www-form-urlencoded or multipart/form-data' },
  { kind: 'application/json', type: 'application/json', body: '{"email":"a"}', says: 'sent as application/json; it must be' },
  { kind: 'multipart without a boundary', type: 'multipart/form-data', body: '--x\r\n', says: 'no boundary' },
  { kind: 'multipart with the wrong boundary', type: `multipart/form-data; boundary=${boundary}`, body: '--other\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--other--\r\n', says: 'multipart form is malformed' },
  { kind: 'truncated multipart', type: `multipart/form-data; boundary=${boundary}`, body: `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\na@acme`, says: 'multipart form is malformed' },
];

describe('malformed form bodies', () => {
  for (const { kind, type, body, says } of bodies) {
    it(`${kind}: 400 naming the problem on every form route`, async () => {
      const answers: string[] = [];
      for (const route of routes) {
        const r = await server.get(route, {
          method: 'POST',
          body,
          headers: { origin: new URL(server.url).origin, 'content-type': type, ...(admin.cookie ? { cookie: admin.cookie } : {}) },
        });
        answers.push(`${route} ${r.status} ${(await r.text()).trim()}`);
      }
      for (const a of answers) {
        expect(a).toMatch(/^\S+ 400 Bad request: /);
        expect(a).toContain(says);
      }
    });
  }

  it('without Origin a malformed post is refused as cross-site (403), still not 500', async () => {
    const r = await server.get('/subscribe', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(403);
  });

  it('a well-formed multipart form is read as a form', async () => {
    const form = new FormData();
    form.set('email', 'reader@acme.test');
    form.set('website', '');
    const r = await server.get('/subscribe', { method: 'POST', body: form, headers: { origin: new URL(server.url).origin } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('Check your inbox');
    // …and its fields are read: a multipart form with a bad address is refused for the address.
    const bad = new FormData();
    bad.set('email', 'not an address');
    const refused = await server.get('/subscribe', { method: 'POST', body: bad, headers: { origin: new URL(server.url).origin } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Enter an email address like name@example.com');
  });

  it('an empty post without a content type (a one-click unsubscribe) is an empty form, not an error', async () => {
    const r = await server.get('/unsubscribe/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', { method: 'POST' });
    expect(r.status).toBe(404);
  });
});
