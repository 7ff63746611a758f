// Two instances of the built server on one real PostgreSQL database: an admin write moves the shared data_version
// in its own transaction (decision record 028), so a writer that dies right after its commit cannot leave the other
// instance showing the old page until the next write.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminClient, firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { adminSql, createTestDatabase } from '../helpers/postgres.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let dropDatabase: () => Promise<void> = async () => {};
let fixture: Fixture;
let databaseUrl = '';
let sql: pg.Client;
let a: RunningServer;
let b: RunningServer;
let admin: AdminClient;

beforeAll(async () => {
  const database = await createTestDatabase('kz_data_version');
  dropDatabase = database.drop;
  databaseUrl = database.url;
  // A backend notices its client is gone while it waits (as on a dead socket), instead of only when it next answers.
  await adminSql(`alter database ${database.name} set client_connection_check_interval = '100ms'`);
  fixture = createFixture(Date.now());
  a = await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: database.url } });
  b = await startServer({ contentDir: fixture.dir, env: { DATABASE_URL: database.url } });
  // The last instance to start printed the valid setup link; the session is shared through the database.
  admin = adminClient(a);
  admin.cookie = (await firstAdmin(b)).cookie;
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end().catch(() => {});
  await Promise.all([a?.stop(), b?.stop()]);
  fixture?.cleanup();
  await dropDatabase();
});

const home = async (s: RunningServer): Promise<string> => (await s.get('/')).text();

it('moves data_version in the same commit as the write, and the other instance shows it', async () => {
  const before = Number((await sql.query('select version from data_version where id = 1')).rows[0].version);
  const posted = await admin.post('/admin/incidents/new', { title: 'Counted in its own commit', severity: 'P2', 'component.api': 'degraded_performance', message: 'We are investigating slow responses.', notify: 'no' });
  expect(posted.status).toBe(303);
  const id = posted.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
  // xmin is the transaction that wrote a row version: the incident and the counter's new value share one.
  const incident = await sql.query('select xmin::text as tx from incident where id = $1', [id]);
  const counter = await sql.query('select xmin::text as tx, version from data_version where id = 1');
  expect(Number(counter.rows[0].version)).toBeGreaterThan(before);
  expect(counter.rows[0].tx).toBe(incident.rows[0].tx);
  await eventually(async () => expect(await home(b)).toContain('Counted in its own commit'), 20_000);
}, 90_000);

it('leaves no committed write unseen by the other instance when the writer is killed before any later step', async () => {
  const title = 'Written by an instance that died';
  // The other instance has loaded everything written so far: from here on only a moved counter reloads it.
  await eventually(async () => expect(await home(b)).toContain('Counted in its own commit'), 20_000);
  expect(await home(b)).not.toContain(title);
  // Hold the counter's row: whatever moves it (in the write's transaction, or after its commit) waits here.
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  await lock.query('begin');
  await lock.query('select version from data_version where id = 1 for update');
  let answered: number | null = null;
  void admin.post('/admin/incidents/new', { title, severity: 'P2', 'component.api': 'degraded_performance', message: 'Investigating.', notify: 'no' })
    .then((r) => { answered = r.status; }, () => {});
  const waiting = async (): Promise<number> => Number((await sql.query(
    "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%data_version%'",
  )).rows[0].n);
  await eventually(async () => expect(await waiting()).toBe(1), 30_000);
  a.process.kill('SIGKILL');
  await new Promise((r) => (a.process.exitCode !== null || a.process.signalCode !== null ? r(null) : a.process.once('exit', r)));
  // PostgreSQL drops the dead writer's waiting statement (and with it any transaction it was in).
  await eventually(async () => expect(await waiting()).toBe(0), 30_000);
  await lock.query('rollback');
  await lock.end();
  // Whatever the database holds now, the surviving instance shows: a committed incident within its poll.
  await eventually(async () => {
    const committed = Number((await sql.query('select count(*) as n from incident where title = $1', [title])).rows[0].n) === 1;
    expect({ committed, shown: (await home(b)).includes(title) }).toEqual({ committed, shown: committed });
  }, 20_000);
  // The writer never said it was written unless it was.
  const committed = Number((await sql.query('select count(*) as n from incident where title = $1', [title])).rows[0].n) === 1;
  if (answered === 303) expect(committed).toBe(true);
}, 180_000);

it('fails a write whose counter cannot move, and commits none of it', async () => {
  const writer = adminClient(b);
  writer.cookie = admin.cookie;
  const title = 'Written without moving the counter';
  await sql.query('delete from data_version');
  try {
    const posted = await writer.post('/admin/incidents/new', { title, severity: 'P2', 'component.api': 'degraded_performance', message: 'Investigating.', notify: 'no' });
    expect(posted.status).toBeGreaterThanOrEqual(500);
    expect(Number((await sql.query('select count(*) as n from incident where title = $1', [title])).rows[0].n)).toBe(0);
  } finally {
    await sql.query('insert into data_version (id, version) values (1, 1000)');
  }
  expect(b.output()).toContain('data_version: the counter row (id 1) is missing');
}, 90_000);
