// Three instances of the built server on one real PostgreSQL database, each answering `/` from its response cache:
// what any one of them posts shows on the other two, never held back by a cached copy.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminClient, firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let dropDatabase: () => Promise<void> = async () => {};
let fixture: Fixture;
let instances: RunningServer[] = [];

beforeAll(async () => {
  const database = await createTestDatabase('kz_instances');
  dropDatabase = database.drop;
  fixture = createFixture(Date.now());
  // One after another: each migrates the same database, and the last one's setup link is the valid one.
  for (let i = 0; i < 3; i++) instances.push(await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: database.url } }));
});
afterAll(async () => {
  await Promise.all(instances.map((s) => s.stop()));
  instances = [];
  fixture?.cleanup();
  await dropDatabase();
});

/** `/` twice on an instance: the second answer comes from its cache (the cache is on and holds the page). */
async function cachedHome(s: RunningServer): Promise<string> {
  await s.get('/').then((r) => r.text());
  let cache = '';
  let html = '';
  await eventually(async () => {
    const r = await s.get('/');
    html = await r.text();
    cache = r.headers.get('x-cache') ?? '';
    // A minute boundary between the two requests makes the second a render too; the next one is a hit.
    expect(cache).toBe('hit');
  }, 20_000);
  return html;
}

/** The same signed-in admin on another instance (sessions live in the database). */
function sameAdminOn(s: RunningServer, admin: AdminClient): AdminClient {
  const other = adminClient(s);
  other.cookie = admin.cookie;
  return other;
}

it('shows a write on one instance on the other two, each serving `/` from its cache before and after', async () => {
  const [a, b, c] = instances as [RunningServer, RunningServer, RunningServer];
  const admin = await firstAdmin(a, { output: c.output() });
  for (const s of instances) expect(await cachedHome(s)).not.toContain('Replicated across three');

  const posted = await admin.post('/admin/incidents/new', { title: 'Replicated across three', severity: 'P2', 'component.api': 'degraded_performance', message: 'We are investigating slow responses.', notify: 'no' });
  expect(posted.status).toBe(303);
  const incident = posted.headers.get('location')!.replace(/\?.*/, '');
  // The writer shows it at once; the others within their data-version poll (generous bound: a busy machine).
  expect(await (await a.get('/')).text()).toContain('Replicated across three');
  for (const s of [b, c]) await eventually(async () => expect(await (await s.get('/')).text()).toContain('Replicated across three'), 20_000);
  for (const s of instances) expect(await cachedHome(s)).toContain('Replicated across three');

  // A second write from another instance reaches the first and the third.
  const marker = 'the cause is a saturated connection pool';
  const updated = await sameAdminOn(b, admin).post(incident, { action: 'update', status: 'identified', message: `We have identified that ${marker}.` });
  expect(updated.status).toBe(303);
  for (const s of [a, c]) await eventually(async () => expect(await (await s.get('/')).text()).toContain(marker), 20_000);
  const page = incident.replace(/^\/admin/, '');
  for (const s of [a, c]) await eventually(async () => expect(await (await s.get(page)).text()).toContain(marker), 20_000);
});
