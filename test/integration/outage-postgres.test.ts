// Two instances on a real PostgreSQL, reached through a TCP proxy of the test's own: the database refuses
// connections, then (in a second run) stops answering with its sockets left hanging, each for 20 s.
import pg from 'pg';
import { afterEach, describe, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { firstAdmin } from '../helpers/admin-client.ts';
import { emailEnv } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { OUTAGE_MS, runOutage, seedReaders } from '../helpers/outage.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { startTcpProxy, type ProxyMode, type TcpProxy } from '../helpers/tcp-proxy.ts';

const BASE = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SUBSCRIBERS = 600;

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  cleanup = [];
});

describe.each<[ProxyMode, string]>([
  ['refuse', 'refused connections'],
  ['hang', 'hanging sockets'],
])('PostgreSQL outage: %s', (mode, label) => {
  it(`keeps both instances serving through ${OUTAGE_MS / 1000} s of ${label}, loses nothing and sends every email once`, async () => {
    const name = `kz_outage_${mode}_${process.pid}_${Date.now()}`;
    await sql(`create database ${name}`);
    cleanup.push(() => sql(`drop database if exists ${name} with (force)`));
    const direct = Object.assign(new URL(BASE), { pathname: `/${name}` }).href;
    const proxy: TcpProxy = await startTcpProxy(new URL(BASE).hostname, Number(new URL(BASE).port || 5432));
    cleanup.push(() => proxy.close());
    const fixture: Fixture = createFixture(Date.now());
    cleanup.push(async () => fixture.cleanup());
    // Only the incidents this test posts send email.
    fixture.remove('incidents/open-api-errors.md');
    fixture.remove('maintenance/db-upgrade.md');
    const fake: FakeResend = await startFakeResend();
    cleanup.push(() => fake.close());
    const env = emailEnv(fake, { DATABASE_URL: proxy.url(direct), RESEND_RATE_LIMIT: '2' });
    const a: RunningServer = await startServer({ contentDir: fixture.dir, env });
    cleanup.push(() => a.stop());
    const b: RunningServer = await startServer({ contentDir: fixture.dir, env });
    cleanup.push(() => b.stop());
    const seeder = openDb(direct);
    const addresses = await seedReaders(seeder, SUBSCRIBERS);
    await seeder.destroy();
    const admin = await firstAdmin(a, { output: b.output() });
    await runOutage({
      label: `PostgreSQL outage (${label})`,
      servers: [a, b],
      admin,
      fake,
      addresses,
      cut: () => proxy.setMode(mode),
      heal: () => proxy.setMode('forward'),
    });
  }, 180_000);
});
