// The manage API on PostgreSQL: keys, writes, and Idempotency-Key retries that arrive while the first still runs.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
let url: string;
let dropDatabase: () => Promise<void> = async () => {};
let fixture: Fixture;
let server: RunningServer;
let pageId: string;
let key: string;

beforeAll(async () => {
  const database = await createTestDatabase('kz_manage');
  url = database.url;
  dropDatabase = database.drop;
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: url } });
  pageId = ((await (await server.get('/api/v2/summary.json')).json()) as { page: { id: string } }).page.id;
  const { stdout } = await promisify(execFile)(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/apikey.ts', 'create', 'pg-bot', '--scopes', 'incidents,components'], {
    cwd: root, env: { ...process.env, DATABASE_URL: url, CONTENT_DIR: fixture.dir },
  });
  key = /^\s+(kz_\S+)$/m.exec(stdout)![1]!;
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
  await dropDatabase();
});

const call = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  server.get(`/api/v1/pages/${pageId}${p}`, {
    method, headers: { authorization: `OAuth ${key}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
  });

async function count(sql: string, ...values: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(sql, values)).rows[0].n);
  } finally {
    await client.end();
  }
}

it('creates, resolves and deletes an incident and sets a component, audited under the key', async () => {
  const created = await call('POST', '/incidents', { incident: { name: 'PG incident', body: 'Looking.', components: { api: 'major_outage' } } });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const resolved = await call('PATCH', `/incidents/${id}.json`, { incident: { status: 'resolved', body: 'Fixed.' } });
  expect(await resolved.json()).toMatchObject({ status: 'resolved' });
  expect(await (await call('PATCH', '/components/docs', { component: { status: 'degraded_performance' } })).json()).toMatchObject({ status: 'degraded_performance' });
  expect((await call('DELETE', `/incidents/${id}`)).status).toBe(200);
  expect(await count("select count(*) as n from audit_log where actor = 'api-key:pg-bot' and action = 'api_request'")).toBe(4);
  expect(await count("select count(*) as n from audit_log where actor = 'api-key:pg-bot' and action = 'incident_resolved' and target = $1", id)).toBe(1);
});

it('six attempts at once with one Idempotency-Key make one incident and the same answer', async () => {
  const body = { incident: { name: 'PG raced once', body: 'x' } };
  const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => call('POST', '/incidents', body, { 'idempotency-key': 'pg-race' })));
  const texts = await Promise.all(answers.map((r) => r.text()));
  expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
  expect(new Set(texts).size).toBe(1);
  expect(await count("select count(*) as n from incident where title = 'PG raced once'")).toBe(1);
  expect(await count("select count(*) as n from api_idempotency where idempotency_key = 'pg-race'")).toBe(1);
});
