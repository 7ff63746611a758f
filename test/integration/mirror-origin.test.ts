// A static mirror's subscribe form posts to the live site: STATIC_MIRROR_URL's origin is accepted for POST /subscribe
// and refused for every other state change; the form names the live origin for the mirror's script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { postForm } from '../helpers/email-flow.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const MIRROR = 'https://mirror.acme.test';
let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir, env: { STATIC_MIRROR_URL: `${MIRROR}/status, https://other-mirror.acme.test` } });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

describe('posts from a static mirror', () => {
  it('accepts the subscribe form from a configured mirror origin, and no other foreign origin', async () => {
    const ok = await postForm(server, '/subscribe', [['email', 'reader@example.com']], { origin: MIRROR });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Check your inbox');
    expect((await postForm(server, '/subscribe', [['email', 'reader2@example.com']], { origin: 'https://other-mirror.acme.test' })).status).toBe(200);
    expect((await postForm(server, '/subscribe', [['email', 'x@example.com']], { origin: 'https://evil.test' })).status).toBe(403);
    expect((await postForm(server, '/subscribe', [['email', 'x@example.com']], { origin: null })).status).toBe(403);
  });

  it('refuses the mirror origin on every other state change', async () => {
    for (const p of ['/admin/incidents/new', '/admin/logout', '/admin/mirror', '/admin/components', '/admin/users']) {
      const r = await admin.post(p, { title: 'From the mirror', severity: 'P3', message: 'We are investigating.', action: 'export' }, { origin: MIRROR });
      expect(r.status, p).toBe(403);
    }
    for (const p of ['/admin/login', '/admin/setup', '/subscribe/confirm/abc', '/manage/abc', '/subscribe/']) {
      expect((await postForm(server, p, [['email', 'x@example.com']], { origin: MIRROR })).status, p).toBe(403);
    }
    // A read-only API path changes nothing from any origin: 405, as for everyone.
    expect((await postForm(server, '/api/v2/summary.json', [['email', 'x@example.com']], { origin: MIRROR })).status).toBe(405);
    expect((await (await server.get('/')).text())).not.toContain('From the mirror');
  });

  it("names the live origin on the form for the mirror's script (site.yaml's url without SITE_URL)", async () => {
    const html = await (await server.get('/')).text();
    expect(html).toContain('data-live-origin="https://status.acme.test"');
    expect(html).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    expect(await (await server.get('/subscribe')).text()).toContain('data-live-origin="https://status.acme.test"');
  });
});
