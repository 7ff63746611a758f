// Channel deliveries end to end on a real SQLite file and a real PostgreSQL database: an incident update queued like an email reaches webhook, Slack,
// Teams and Discord receivers on 127.0.0.1 that check each body against the vendor's schema; retries, once per event, disabling.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelJobKey, CHANNEL_JOB_KIND } from '../../../../src/lib/server/channels/channel-outbox.ts';
import { CHANNEL_MAX_ATTEMPTS, startChannelWorker } from '../../../../src/lib/server/channels/channel-worker.ts';
import { findChannelSubscriber, insertChannelSubscriber } from '../../../../src/lib/server/channels/channel.repository.ts';
import type { ChannelType } from '../../../../src/lib/server/channels/channel-event.ts';
import { parseEnv } from '../../../../src/lib/server/env.ts';
import type { JobWorker } from '../../../../src/lib/server/jobs/job-worker.ts';
import { findJob, listJobs } from '../../../../src/lib/server/jobs/job.repository.ts';
import { startReceiver, type Receiver } from '../../../helpers/channel-receiver.ts';
import { emailTestDb, enqueueIncident, type EmailTestDb } from '../../../helpers/email-db.ts';
import { openDb } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';
import { eventually } from '../../../helpers/server.ts';

let t: EmailTestDb;
let rx: Receiver;
let worker: JobWorker | null = null;
const settings = parseEnv({ ALLOW_PRIVATE_WEBHOOKS: '1', CHANNEL_RETRY_BASE_MS: '20' });
const silent = (): void => {};

async function postgresTestDb(): Promise<EmailTestDb> {
  const database = await createTestDatabase('kz_channels');
  const db = openDb(database.url);
  await migrateToLatest(db);
  return { db, file: '', cleanup: async () => { await db.destroy(); await database.drop(); } };
}

let backend: 'sqlite' | 'postgres' = 'sqlite';
beforeEach(async () => {
  t = backend === 'sqlite' ? await emailTestDb() : await postgresTestDb();
  rx = await startReceiver();
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
  await rx.close();
  await t.cleanup();
});

async function add(type: ChannelType, path: string, components: string[] | null = null, route: { failFirst?: number; always?: number } = {}) {
  const { subscriber } = await insertChannelSubscriber(t.db, { type, url: rx.url(path), components, createdBy: 'admin' }, Date.now());
  rx.route(path, { vendor: type, secret: type === 'webhook' ? subscriber.signingSecret : undefined, ...route });
  return subscriber;
}

describe.each(['sqlite', 'postgres'] as const)('channel worker on %s', (name) => {
  beforeAll(() => { backend = name; });
  it('delivers one incident update to every vendor, each body valid for its vendor, webhooks signed', async () => {
    const hook = await add('webhook', '/hook');
    await add('slack', '/slack');
    await add('teams', '/teams');
    await add('discord', '/discord');
    await enqueueIncident(t.db, 'incident:api-errors:u1');
    worker = startChannelWorker(settings, { db: t.db, pollMs: 50, log: silent });
    await eventually(async () => {
      for (const p of ['/hook', '/slack', '/teams', '/discord']) expect(rx.accepted(p)).toHaveLength(1);
    }, 20_000);
    expect(rx.deliveries().filter((d) => d.problems.length > 0)).toEqual([]);
    const h = rx.accepted('/hook')[0]!;
    expect(h.headers['webhook-id']).toBe(h.headers['idempotency-key']);
    expect(h.headers['webhook-signature']).toMatch(/^v1,/);
    expect((h.body as any).incident.name).toBe('Elevated API error rates');
    expect((h.body as any).incident.status).toBe('investigating');
    expect(await findChannelSubscriber(t.db, hook.id)).toMatchObject({ state: 'active' });
  });

  it('sends only to subscribers of an affected component', async () => {
    const api = await add('slack', '/api', ['api']);
    const dash = await add('slack', '/dash', ['dashboard']);
    await enqueueIncident(t.db, 'incident:api-errors:u1');
    expect(await findJob(t.db, channelJobKey({ subscriberId: api.id }, 'incident:api-errors:u1'))).not.toBeNull();
    expect(await findJob(t.db, channelJobKey({ subscriberId: dash.id }, 'incident:api-errors:u1'))).toBeNull();
  });

  it('retries a receiver that fails three times, and it gets the event exactly once with one id', async () => {
    const s = await add('webhook', '/flaky', null, { failFirst: 3 });
    await enqueueIncident(t.db, 'incident:api-errors:u1');
    // The same event again (another instance, a rescan): the ledger keeps it to one.
    await enqueueIncident(t.db, 'incident:api-errors:u1');
    worker = startChannelWorker(settings, { db: t.db, pollMs: 50, log: silent });
    const key = channelJobKey({ subscriberId: s.id }, 'incident:api-errors:u1');
    await eventually(async () => expect((await findJob(t.db, key))?.state).toBe('done'), 20_000);
    expect(rx.deliveries('/flaky').map((d) => d.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(rx.deliveries('/flaky').map((d) => d.headers['webhook-id'])).size).toBe(1);
    expect(await listJobs(t.db, CHANNEL_JOB_KIND)).toHaveLength(1);
  });

  it('re-checks the URL at send time: a private address is refused and the subscriber disabled at once, nothing sent', async () => {
    const s = await add('slack', '/private');
    await enqueueIncident(t.db, 'incident:api-errors:u1');
    worker = startChannelWorker(parseEnv({ CHANNEL_RETRY_BASE_MS: '20' }), { db: t.db, pollMs: 50, log: silent });
    await eventually(async () => expect((await findChannelSubscriber(t.db, s.id))?.state).toBe('disabled'), 20_000);
    expect((await findChannelSubscriber(t.db, s.id))?.disabledReason).toMatch(/^1 failed attempt, last: URL points at a private, loopback or link-local address \(127\.0\.0\.1\)/);
    expect(rx.deliveries()).toHaveLength(0);
  });

  it('disables a subscriber whose receiver always fails, with the reason', async () => {
    const s = await add('discord', '/down', null, { always: 500 });
    await enqueueIncident(t.db, 'incident:api-errors:u1');
    worker = startChannelWorker(settings, { db: t.db, pollMs: 50, log: silent });
    await eventually(async () => expect((await findChannelSubscriber(t.db, s.id))?.state).toBe('disabled'), 30_000);
    const after = await findChannelSubscriber(t.db, s.id);
    expect(after?.disabledReason).toContain(`${CHANNEL_MAX_ATTEMPTS} failed attempts`);
    expect(after?.disabledReason).toContain('answered 500');
    expect(rx.deliveries('/down')).toHaveLength(CHANNEL_MAX_ATTEMPTS);
    // Later news is not sent to it.
    await enqueueIncident(t.db, 'incident:api-errors:u2');
    expect(await findJob(t.db, channelJobKey({ subscriberId: s.id }, 'incident:api-errors:u2'))).toBeNull();
  });
});
