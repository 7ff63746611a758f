// The team channel (TEAM_CHANNEL_URL): admin actions from the audit log, reminders and incident news reach it; sign-in noise does not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChannelWorker } from '../../../../src/lib/server/channels/channel-worker.ts';
import { notifyTeamOfReminder } from '../../../../src/lib/server/channels/team-channel.ts';
import { recordAudit } from '../../../../src/lib/server/audit/audit-log.ts';
import { parseEnv } from '../../../../src/lib/server/env.ts';
import type { JobWorker } from '../../../../src/lib/server/jobs/job-worker.ts';
import { startReceiver, type Receiver } from '../../../helpers/channel-receiver.ts';
import { emailTestDb, enqueueIncident, type EmailTestDb } from '../../../helpers/email-db.ts';
import { eventually } from '../../../helpers/server.ts';

let t: EmailTestDb;
let rx: Receiver;
let worker: JobWorker;

beforeEach(async () => {
  t = await emailTestDb();
  rx = await startReceiver();
  rx.route('/team', { vendor: 'slack' });
  // env() is read lazily, once per test file.
  process.env.TEAM_CHANNEL_URL = rx.url('/team');
  process.env.ALLOW_PRIVATE_WEBHOOKS = '1';
  worker = startChannelWorker(parseEnv({ ALLOW_PRIVATE_WEBHOOKS: '1', CHANNEL_RETRY_BASE_MS: '20', TEAM_CHANNEL_URL: rx.url('/team') }), { db: t.db, pollMs: 50, log: () => {} });
});
afterEach(async () => {
  await worker.stop();
  await rx.close();
  await t.cleanup();
});

const headers = (): string[] => rx.accepted('/team').map((d) => (d.body as any).blocks[0].text.text as string);

describe('team channel', () => {
  it('gets admin actions, reminders and incident news, as valid Slack messages, but not sign-in attempts', async () => {
    await recordAudit(t.db, { actor: 'alice@example.com', action: 'sign_in_failed' }, Date.now());
    await recordAudit(t.db, { actor: 'alice@example.com', action: 'incident_created', target: 'api-errors', detail: 'P1' }, Date.now());
    await notifyTeamOfReminder(t.db, 'reminder:api-errors:update:1', {
      kind: 'reminder', reminder: 'update_due', severity: 'P1', incidentTitle: 'Elevated API error rates', dueAt: '10:20 UTC', roleLabel: null,
      url: 'https://status.acme.test/admin/incidents/api-errors', accountUrl: 'https://status.acme.test/admin/account', siteName: 'Acme Cloud', signature: '', baseUrl: 'https://status.acme.test',
    }, Date.now());
    await enqueueIncident(t.db, 'incident:api-errors:u1');
    await eventually(async () => expect(headers()).toHaveLength(3), 20_000);
    expect(rx.deliveries().filter((d) => d.problems.length > 0)).toEqual([]);
    expect(headers().join('\n')).toContain('alice@example.com: incident_created api-errors');
    expect(headers().join('\n')).toContain('Public update due 10:20 UTC');
    expect(headers().join('\n')).toContain('Elevated API error rates');
    expect(headers().join('\n')).not.toContain('sign_in_failed');
  });
});
