// Two instances on a real PostgreSQL, reached through a TCP proxy of the test's own: the database refuses
// connections, then (in a second run) stops answering with its sockets left hanging, each for 20 s.
import { afterEach, describe, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { firstAdmin } from '../helpers/admin-client.ts';
import { emailEnv } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { OUTAGE_MS, runOutage, seedReaders } from '../helpers/outage.ts';
import { createTestDatabase, postgresAddress } from '../helpers/postgres.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { startTcpProxy, type ProxyMode, type TcpProxy } from '../helpers/tcp-proxy.ts';

const SUBSCRIBERS = 600;

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
    const database = await createTestDatabase(`kz_outage_${mode}`);
    cleanup.push(database.drop);
    const direct = database.url;
    const proxy: TcpProxy = await startTcpProxy(postgresAddress().host, postgresAddress().port);
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
