// Chat and webhook subscribers through the real server: an admin adds channels on /admin/channels, the public
// subscribes a webhook on /subscribe and confirms it from the first message, news reaches each receiver valid for its vendor,
// and the team channel hears admin actions.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { startReceiver, type Receiver } from '../helpers/channel-receiver.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;
let rx: Receiver;
let admin: AdminClient;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  rx = await startReceiver();
  rx.route('/team', { vendor: 'slack' });
  server = await startServer({ contentDir: fixture.dir, env: { ALLOW_PRIVATE_WEBHOOKS: '1', CHANNEL_RETRY_BASE_MS: '50', TEAM_CHANNEL_URL: rx.url('/team') } });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  await rx?.close();
  fixture?.cleanup();
});

const form = (fields: Record<string, string | string[]>, origin = new URL('http://x').origin): RequestInit => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin } };
};

it('an admin adds channels; a bad URL is refused naming the field and keeps what was typed', async () => {
  const bad = await admin.post('/admin/channels', { action: 'add', channel_type: 'slack', channel_url: 'ftp://hooks.example.com/x' });
  expect(bad.status).toBe(400);
  const badHtml = await bad.text();
  expect(badHtml).toContain('Webhook URL must start with https://');
  expect(badHtml).toContain('value="ftp://hooks.example.com/x"');

  rx.route('/slack', { vendor: 'slack' });
  expect((await admin.post('/admin/channels', { action: 'add', channel_type: 'slack', channel_url: rx.url('/slack'), components: 'api' })).status).toBe(200);
  const added = await admin.post('/admin/channels', { action: 'add', channel_type: 'discord', channel_url: rx.url('/discord') });
  rx.route('/discord', { vendor: 'discord' });
  expect(added.status).toBe(200);
  const page = await (await admin.get('/admin/channels')).text();
  expect(page).toContain('Slack (incoming webhook)');
  expect(page).toContain('Discord (webhook)');
  expect(page).not.toContain('whsec_');
  expect(await (await admin.get('/admin')).text()).toContain('href="/admin/channels"');
  // The team channel heard about it.
  await eventually(async () => expect(rx.accepted('/team').map((d) => JSON.stringify(d.body)).join()).toContain('channel_added'), 30_000);
});

it('the public subscribes a webhook, which must be confirmed from its first message', async () => {
  const r = await server.get('/subscribe', form({ form: 'channel', channel_type: 'webhook', channel_url: rx.url('/public-hook'), components: 'api' }, new URL(server.url).origin));
  expect(r.status).toBe(200);
  expect(await r.text()).toContain('Check your channel');
  rx.route('/public-hook', { vendor: 'webhook' });
  const first = await eventually(async () => expect(rx.accepted('/public-hook')).toHaveLength(1), 30_000).then(() => rx.accepted('/public-hook')[0]!);
  const confirm = new URL((first.body as any).subscription.confirm_url as string);
  // Opening the link (a chat app's preview) does not confirm.
  expect(await (await server.get(confirm.pathname)).text()).toContain('Confirm the channel subscription');
  expect(await (await admin.get('/admin/channels')).text()).toContain('Pending confirmation');
  const done = await server.get(confirm.pathname, form({}, new URL(server.url).origin));
  expect(await done.text()).toContain('The channel is subscribed');
  expect(await (await admin.get('/admin/channels')).text()).not.toContain('Pending confirmation');
});

it('new incident news reaches every subscribed channel, valid for its vendor, once', async () => {
  const now = Date.now();
  fixture.write('incidents/new-api-latency.md', `---
title: API latency
severity: P1
components:
  api: degraded_performance
detected: ${iso(now - 5 * MINUTE)}
updates:
  - at: ${iso(now - 2 * MINUTE)}
    status: investigating
    message: We are looking into slow API responses.
---
`);
  const has = (path: string) => rx.accepted(path).filter((d) => JSON.stringify(d.body).includes('API latency'));
  const hook = () => rx.accepted('/public-hook').map((d) => d.body as any);
  await eventually(async () => {
    expect(has('/slack')).toHaveLength(1);
    expect(has('/discord')).toHaveLength(1);
    expect(hook().filter((b) => b.incident?.name === 'API latency')).toHaveLength(1);
    // Statuspage's component_update for the component the incident changed.
    expect(hook().filter((b) => b.component_update).map((b) => b.component_update)).toEqual([
      expect.objectContaining({ component_id: 'api', old_status: 'operational', new_status: 'degraded_performance' }),
    ]);
  }, 60_000);
  expect(rx.deliveries().filter((d) => d.problems.length > 0)).toEqual([]);
});

it('shows a webhook secret once, and a channel that always fails ends disabled with the reason in admin', async () => {
  rx.route('/down', { vendor: 'webhook', always: 500 });
  const added = await (await admin.post('/admin/channels', { action: 'add', channel_type: 'webhook', channel_url: rx.url('/down') })).text();
  expect(added).toMatch(/whsec_[A-Za-z0-9+/=]{32}/);
  expect(await (await admin.get('/admin/channels')).text()).not.toContain('whsec_');
  const now = Date.now();
  fixture.write('incidents/new-docs-outage.md', `---
title: Docs offline
severity: P1
components:
  docs: major_outage
detected: ${iso(now - 5 * MINUTE)}
updates:
  - at: ${iso(now - 1 * MINUTE)}
    status: investigating
    message: The documentation site is not loading.
---
`);
  await eventually(async () => {
    const page = await (await admin.get('/admin/channels')).text();
    expect(page).toContain('Disabled');
    expect(page).toMatch(/8 failed attempts, last: answered 500/);
  }, 90_000);
  // The incident message and the docs component_update each tried until the channel was disabled.
  expect(rx.deliveries('/down').length).toBeGreaterThanOrEqual(8);
  expect(rx.deliveries('/down').filter((d) => d.problems.length > 0)).toEqual([]);
  // Re-enabled by an admin, then removed.
  const id = /name="id" value="([^"]+)"[^>]*>\s*<button class="button" type="submit">Enable/.exec(await (await admin.get('/admin/channels')).text())?.[1];
  expect(id).toBeTruthy();
  expect(await (await admin.post('/admin/channels', { action: 'enable', id: id! })).text()).toContain('Enabled webhook');
  expect(await (await admin.post('/admin/channels', { action: 'remove', id: id! })).text()).toContain('Removed webhook');
});
