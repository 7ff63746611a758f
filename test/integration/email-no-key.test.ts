// Without RESEND_API_KEY: everything works, emails wait in the outbox as "not sent", one warning at start.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { firstAdmin, postForm, query } from '../helpers/email-flow.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

it('logs one warning and keeps emails in the outbox as "not sent: no RESEND_API_KEY"', async () => {
  expect(server.output().match(/RESEND_API_KEY is not set/g)).toHaveLength(1);
  const r = await postForm(server, '/subscribe', [['email', 'frank@example.com']]);
  expect(r.status).toBe(200);
  expect(await r.text()).toContain('Check your inbox');
  await eventually(async () => {
    expect(query(server, 'select state, reason from email_outbox')).toEqual([{ state: 'not_sent', reason: 'not sent: no RESEND_API_KEY' }]);
  }, 30_000);
  expect(server.output().match(/RESEND_API_KEY is not set/g)).toHaveLength(1);
  const admin = await firstAdmin(server);
  const list = await (await admin.get('/admin/emails?state=not_sent')).text();
  expect(list).toContain('Confirm your subscription - Acme Cloud');
  expect(list).toContain('not sent: no RESEND_API_KEY');
  const id = query<{ id: string }>(server, 'select id from email_outbox')[0]!.id;
  const preview = await (await admin.get(`/admin/emails/${id}`)).text();
  expect(preview).toContain('https://status.acme.test/subscribe/confirm/PREVIEW-TOKEN');
});
