// The Statuspage-compatible manage API over HTTP against the real server: keys from the CLI, writes through the
// admin's services, scopes, revocation, Idempotency-Key, the per-key rate limit and the audit log.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const RATE = 40;
let fixture: Fixture;
let server: RunningServer;
let pageId: string;

/** Runs `npm run apikey -- …`'s script against the server's database. */
async function apikeyCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/apikey.ts', ...args], {
    cwd: root, env: { ...process.env, DATABASE_URL: path.join(server.dataDir, 'status.db'), CONTENT_DIR: fixture.dir },
  });
  return stdout;
}

async function newKey(name: string, scopes: string): Promise<string> {
  const out = await apikeyCli('create', name, '--scopes', scopes);
  return /^\s+(kz_\S+)$/m.exec(out)![1]!;
}

/** A manage API call: JSON bodies as objects, form bodies as URLSearchParams. */
async function call(key: string | null, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { ...headers };
  if (key) h.authorization = `OAuth ${key}`;
  let payload: string | undefined;
  if (body instanceof URLSearchParams) {
    h['content-type'] = 'application/x-www-form-urlencoded';
    payload = body.toString();
  } else if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return server.get(`/api/v1/pages/${pageId}${p}`, { method, headers: h, body: payload });
}

let adminClient: Promise<AdminClient> | null = null;
/** The one admin (the setup link works once). */
const signedIn = (): Promise<AdminClient> => (adminClient ??= firstAdmin(server));
let handle: Database.Database | null = null;
/** The server's SQLite file, read-only (WAL lets it read while the server writes). */
const db = (): Database.Database => (handle ??= new Database(path.join(server.dataDir, 'status.db'), { readonly: true }));

interface SpIncident { id: string; name: string; status: string; impact: string; impact_override: string | null; resolved_at: string | null; incident_updates: { status: string; body: string }[]; components: { id: string; status: string }[] }

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir, env: { API_RATE_LIMIT_PER_MINUTE: String(RATE) } });
  pageId = ((await (await server.get('/api/v2/summary.json')).json()) as { page: { id: string } }).page.id;
});
afterAll(async () => {
  handle?.close();
  await server?.stop();
  fixture?.cleanup();
});

describe('incidents', () => {
  it('creates, updates, lists unresolved, resolves and deletes an incident, as the public page shows it', async () => {
    const key = await newKey('lifecycle', 'incidents');
    const created = await call(key, 'POST', '/incidents', { incident: {
      name: 'Checkout failing', status: 'investigating', impact_override: 'critical', body: 'We are looking into **failed checkouts**.',
      components: { dashboard: 'major_outage' }, deliver_notifications: false,
    } });
    expect(created.status).toBe(201);
    const incident = (await created.json()) as SpIncident;
    expect(incident).toMatchObject({ name: 'Checkout failing', status: 'investigating', impact: 'critical' });
    expect(incident.incident_updates[0]!.body).toBe('We are looking into **failed checkouts**.');
    const summary = (await (await server.get('/api/v2/summary.json')).json()) as { incidents: SpIncident[]; components: { id: string; status: string }[] };
    expect(summary.incidents.map((i) => i.id)).toContain(incident.id);
    expect(summary.components.find((c) => c.id === 'dashboard')!.status).toBe('major_outage');
    // deliver_notifications false: the update is recorded as not notifying, like the admin's "no".
    expect(db().prepare('select notify_subscribers from incident_update where incident_id = ?').all(incident.id)).toEqual([{ notify_subscribers: 0 }]);

    const updated = await call(key, 'PATCH', `/incidents/${incident.id}.json`, { incident: { status: 'identified', body: 'A bad deploy; rolling back.', name: 'Checkout failing for some' } });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ status: 'identified', name: 'Checkout failing for some', incident_updates: [{ status: 'identified', body: 'A bad deploy; rolling back.' }, { status: 'investigating' }] });

    const unresolved = (await (await call(key, 'GET', '/incidents/unresolved.json')).json()) as SpIncident[];
    expect(unresolved.map((i) => i.id)).toEqual(expect.arrayContaining([incident.id, 'open-api-errors']));

    const resolved = (await (await call(key, 'PATCH', `/incidents/${incident.id}`, new URLSearchParams({ 'incident[status]': 'resolved' }))).json()) as SpIncident;
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolved_at).not.toBeNull();
    expect(resolved.incident_updates[0]!.body).toBe('Resolved.');
    const after = (await (await call(key, 'GET', '/incidents/unresolved')).json()) as SpIncident[];
    expect(after.map((i) => i.id)).not.toContain(incident.id);
    const list = (await (await call(key, 'GET', '/incidents')).json()) as SpIncident[];
    expect(list.map((i) => i.id)).toContain(incident.id);

    const deleted = await call(key, 'DELETE', `/incidents/${incident.id}`);
    expect(deleted.status).toBe(200);
    expect(((await deleted.json()) as SpIncident).id).toBe(incident.id);
    expect((await call(key, 'GET', `/incidents/${incident.id}`)).status).toBe(404);
  });

  it('notifies subscribers by the admin rules: deliver_notifications false emails nobody, absent follows the runbook', async () => {
    const key = await newKey('notify', 'incidents');
    const notified = (id: string): unknown[] => db().prepare('select key from email_notification where key like ?').all(`incident:${id}:%`);
    const quiet = (await (await call(key, 'POST', '/incidents', { incident: { name: 'Quiet P0', impact_override: 'critical', body: 'x', deliver_notifications: false } })).json()) as SpIncident;
    const loud = (await (await call(key, 'POST', '/incidents', { incident: { name: 'Loud P0', impact_override: 'critical', body: 'x' } })).json()) as SpIncident;
    const minor = (await (await call(key, 'POST', '/incidents', { incident: { name: 'Minor', impact_override: 'minor', body: 'x' } })).json()) as SpIncident;
    const asked = (await (await call(key, 'POST', '/incidents', { incident: { name: 'Minor, told', impact_override: 'minor', body: 'x', deliver_notifications: true } })).json()) as SpIncident;
    expect(notified(quiet.id)).toHaveLength(0);
    expect(notified(loud.id)).toHaveLength(1);
    expect(notified(minor.id)).toHaveLength(0);
    expect(notified(asked.id)).toHaveLength(1);
    await call(key, 'PATCH', `/incidents/${loud.id}`, { incident: { status: 'resolved', deliver_notifications: false } });
    expect(notified(loud.id)).toHaveLength(1);
  });

  it('reads form-encoded bodies with component_ids and Bearer keys; no impact_override follows the worst component', async () => {
    const key = await newKey('form-client', 'incidents');
    const form = new URLSearchParams();
    form.append('incident[name]', 'Docs slow');
    form.append('incident[status]', 'identified');
    form.append('incident[component_ids][]', 'docs');
    form.append('incident[components][api]', 'partial_outage');
    const r = await server.get(`/api/v1/pages/${pageId}/incidents.json`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(r.status).toBe(201);
    const incident = (await r.json()) as SpIncident;
    expect(incident).toMatchObject({ status: 'identified', impact: 'minor', impact_override: null });
    expect(Object.fromEntries(incident.components.map((c) => [c.id, c.status]))).toMatchObject({ docs: 'degraded_performance', api: 'partial_outage' });
    expect(incident.incident_updates.map((u) => [u.status, u.body])).toEqual([['identified', 'Identified.'], ['investigating', 'Investigating.']]);
    // No deliver_notifications: the runbook's rule (P2 → nobody emailed), as the admin's "auto".
    expect(db().prepare('select notify_subscribers from incident_update where incident_id = ?').all(incident.id)).toEqual([{ notify_subscribers: 0 }, { notify_subscribers: 0 }]);
  });

  it('answers 422 naming the field, and 409 naming the file for a content incident', async () => {
    const key = await newKey('validation', 'incidents');
    const bad = await call(key, 'POST', '/incidents', { incident: { name: 'x', components: { nope: 'major_outage' } } });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ field: 'incident[components][nope]', error: "Unknown component 'nope'" });
    const noName = await call(key, 'POST', '/incidents', { incident: { body: 'hello' } });
    expect(noName.status).toBe(422);
    expect(await noName.json()).toMatchObject({ field: 'incident[name]' });
    const file = await call(key, 'PATCH', '/incidents/open-api-errors', { incident: { status: 'resolved' } });
    expect(file.status).toBe(409);
    expect(await file.json()).toMatchObject({ record: 'content/incidents/open-api-errors.md' });
    expect((await call(key, 'GET', '/nothing-here')).status).toBe(404);
    expect((await server.get('/api/v1/pages/wrongpage/incidents', { headers: { authorization: `OAuth ${key}` } })).status).toBe(404);
  });
});

describe('components', () => {
  it('sets a status from a form PATCH (as the statuspage npm client sends it) and refuses file-owned fields', async () => {
    const key = await newKey('components', 'components');
    const list = (await (await call(key, 'GET', '/components.json')).json()) as { id: string; group: boolean }[];
    expect(list.map((c) => c.id)).toEqual(expect.arrayContaining(['core', 'api', 'dashboard', 'docs']));
    const r = await call(key, 'PATCH', '/components/docs.json', new URLSearchParams({ 'component[status]': 'partial_outage' }));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ id: 'docs', status: 'partial_outage' });
    const summary = (await (await server.get('/api/v2/components.json')).json()) as { components: { id: string; status: string }[] };
    expect(summary.components.find((c) => c.id === 'docs')!.status).toBe('partial_outage');
    const renamed = await call(key, 'PATCH', '/components/docs', { component: { name: 'Docs' } });
    expect(renamed.status).toBe(409);
    expect(await renamed.json()).toMatchObject({ record: 'content/components.yaml' });
    expect((await call(key, 'PATCH', '/components/docs', { component: { status: 'on_fire' } })).status).toBe(422);
    expect((await call(key, 'PATCH', '/components/core', { component: { status: 'major_outage' } })).status).toBe(422);
    await call(key, 'PATCH', '/components/docs', { component: { status: 'operational' } });
  });

  it('works with the statuspage npm client pointed at <site>/api', async () => {
    const key = await newKey('npm-client', 'components');
    // The package ships no types: its constructor and the three members used here.
    const StatusPage = createRequire(import.meta.url)('statuspage') as new (key: string, page: string) => { instance: { defaults: { baseURL?: string } }; getComponents: () => Promise<{ id: string; status: string }[]>; updateComponentState: (id: string, status: string) => Promise<{ status: number; data: { id: string; status: string } }> };
    const client = new StatusPage(key, pageId);
    // The client hard-codes https://api.statuspage.io in an axios instance it exposes; its paths start /v1/pages/.
    client.instance.defaults.baseURL = `${server.url}/api`;
    const components = await client.getComponents();
    expect(components.find((c) => c.id === 'dashboard')).toBeDefined();
    const r = await client.updateComponentState('dashboard', 'degraded_performance');
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ id: 'dashboard', status: 'degraded_performance' });
    await client.updateComponentState('dashboard', 'operational');
  });
});

describe('keys', () => {
  it('refuses a missing scope with 403 JSON; a read key reads', async () => {
    const read = await newKey('reader', 'read');
    const comp = await newKey('comp-only', 'components');
    expect((await call(read, 'GET', '/incidents')).status).toBe(200);
    const refused = await call(read, 'POST', '/incidents', { incident: { name: 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/json');
    expect(await refused.json()).toMatchObject({ scope: 'incidents' });
    expect((await call(comp, 'GET', '/incidents')).status).toBe(403);
    expect((await call(read, 'PATCH', '/components/docs', { component: { status: 'major_outage' } })).status).toBe(403);
  });

  it('a revoked key, a wrong key and a signed-in browser without a key are 401', async () => {
    const key = await newKey('to-revoke', 'incidents');
    expect((await call(key, 'GET', '/incidents')).status).toBe(200);
    expect(await apikeyCli('revoke', 'to-revoke')).toContain("Revoked 'to-revoke'");
    expect((await call(key, 'GET', '/incidents')).status).toBe(401);
    expect((await call('kz_wrong', 'GET', '/incidents')).status).toBe(401);
    const live = await newKey('query-key', 'read');
    expect((await server.get(`/api/v1/pages/${pageId}/components.json?api_key=${live}`)).status).toBe(200);
    const listed = await apikeyCli('list');
    expect(listed).toMatch(/to-revoke\tincidents\trevoked /);
    expect(listed).toMatch(/lifecycle\tincidents\tactive\t.*last used 20/);
    const admin = await signedIn();
    const browser = await server.get(`/api/v1/pages/${pageId}/incidents`, {
      method: 'POST', headers: { cookie: admin.cookie!, origin: new URL(server.url).origin, 'content-type': 'application/x-www-form-urlencoded' }, body: 'incident[name]=x',
    });
    expect(browser.status).toBe(401);
    expect((await call(null, 'GET', '/incidents', undefined, { cookie: admin.cookie! })).status).toBe(401);
  });

  it('an admin makes a key on /admin/api-keys (shown once), sees its last use and revokes it', async () => {
    const admin = await signedIn();
    expect(await (await admin.get('/admin')).text()).toContain('href="/admin/api-keys"');
    const bad = await admin.post('/admin/api-keys', { action: 'create', name: 'has space', scopes: ['incidents'] });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Name must be 1');
    expect(badHtml).toContain('value="has space"');
    const r = await admin.post('/admin/api-keys', { action: 'create', name: 'from-admin', scopes: ['incidents', 'components'] });
    expect(r.status).toBe(200);
    const html = await r.text();
    const secret = /<code id="new-api-key">(kz_[a-z0-9]+)<\/code>/.exec(html)![1]!;
    expect((await call(secret, 'GET', '/components')).status).toBe(200);
    const page = await (await admin.get('/admin/api-keys')).text();
    expect(page).toContain('from-admin');
    expect(page).not.toContain(secret);
    expect(page).not.toMatch(/<td>from-admin<\/td><td>incidents, components<\/td><td>[^<]*<\/td><td>Never/);
    await admin.post('/admin/api-keys', { action: 'revoke', name: 'from-admin' });
    expect((await call(secret, 'GET', '/components')).status).toBe(401);
    expect(db().prepare("select count(*) as n from api_key where token_hash like 'kz_%' or token_hash = ?").get(secret)).toEqual({ n: 0 });
  });

  it('replays a write with the same Idempotency-Key instead of repeating it', async () => {
    const key = await newKey('idempotent', 'incidents');
    const body = { incident: { name: 'Replayed once', body: 'Only one of me.' } };
    const first = await call(key, 'POST', '/incidents', body, { 'idempotency-key': 'abc-123' });
    expect(first.status).toBe(201);
    const again = await call(key, 'POST', '/incidents', body, { 'idempotency-key': 'abc-123' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(db().prepare("select count(*) as n from incident where title = 'Replayed once'").get()).toEqual({ n: 1 });
    const other = await call(key, 'POST', '/incidents', body, { 'idempotency-key': 'abc-124' });
    expect(other.status).toBe(201);
    expect(db().prepare("select count(*) as n from incident where title = 'Replayed once'").get()).toEqual({ n: 2 });
    // Two attempts at once (a client retrying on a timeout): one incident, both answers the same.
    const race = { incident: { name: 'Raced once', body: 'x' } };
    const [a, b, ...rest] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => call(key, 'POST', '/incidents', race, { 'idempotency-key': 'race-1' })));
    const winner = await a!.json();
    expect(winner).toMatchObject({ name: 'Raced once' });
    for (const r of [b!, ...rest]) expect(await r.json()).toEqual(winner);
    expect(db().prepare("select count(*) as n from incident where title = 'Raced once'").get()).toEqual({ n: 1 });
  });

  it('answers 429 with Retry-After past the per-key limit, other keys unaffected', async () => {
    const key = await newKey('busy', 'read');
    const other = await newKey('calm', 'read');
    const statuses: number[] = [];
    for (let i = 0; i < RATE + 1; i++) statuses.push((await call(key, 'GET', '/components')).status);
    // A minute boundary may pass during the loop and open a new window; then the limit is reached one call later.
    const limited = await eventually(async () => {
      const r = await call(key, 'GET', '/components');
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await r.json()).toMatchObject({ error: expect.stringContaining(`${RATE} a minute`) });
    }, 60_000);
    expect(limited).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(0, RATE - 1).every((s) => s === 200)).toBe(true);
    expect((await call(other, 'GET', '/components')).status).toBe(200);
  });

  it('audits every use under the key name', async () => {
    const key = await newKey('audited', 'incidents');
    const r = await call(key, 'POST', '/incidents', { incident: { name: 'Audited', body: 'x' } });
    const id = ((await r.json()) as SpIncident).id;
    await call(key, 'GET', '/incidents');
    const rows = db().prepare("select action, target, detail from audit_log where actor = 'api-key:audited' order by at, action").all() as { action: string; target: string; detail: string }[];
    expect(rows).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'incident_created', target: id }),
      expect.objectContaining({ action: 'api_request', target: `POST /api/v1/pages/${pageId}/incidents`, detail: '201' }),
      expect.objectContaining({ action: 'api_request', target: `GET /api/v1/pages/${pageId}/incidents`, detail: '200' }),
    ]));
    expect(db().prepare("select action from audit_log where action = 'api_key_created' and target = 'audited'").all()).toHaveLength(1);
  });
});
