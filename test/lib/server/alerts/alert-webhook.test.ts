// The generic webhook on the same rules: flapping stays one incident, a person's update stops automation, a bad
// alerting.yaml stores alerts and publishes nothing. A long hold-down (1 h) keeps the monitoring phase open.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../../../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../../../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../../../helpers/server.ts';

const TOKEN = 'alerts-token-for-tests-abcdefghij';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

interface ApiIncident { id: string; name: string; status: string; components: { id: string; status: string }[] }

let fixture: Fixture;
let badFixture: Fixture;
let server: RunningServer;
let bad: RunningServer;
let admin: AdminClient;

const send = async (s: RunningServer, body: unknown): Promise<{ action: string; incident: string | null; reason?: string }> => {
  const r = await s.get('/api/v1/alerts/webhook', { method: 'POST', headers: auth, body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return (await r.json()) as { action: string; incident: string | null; reason?: string };
};
async function named(s: RunningServer, name: string): Promise<ApiIncident[]> {
  const r = await s.get('/api/v1/incidents.json?limit=100');
  return ((await r.json()) as { incidents: ApiIncident[] }).incidents.filter((i) => i.name === name);
}

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fixture.write('alerting.yaml', 'resolve_after: 1h\n');
  badFixture = createFixture(Date.now());
  badFixture.write('alerting.yaml', 'resolve_after: soon\nseverity: { critical: P7 }\n');
  [server, bad] = await Promise.all([
    startServer({ contentDir: fixture.dir, env: { ALERTS_TOKEN: TOKEN } }),
    startServer({ contentDir: badFixture.dir, env: { ALERTS_TOKEN: TOKEN } }),
  ]);
  admin = await firstAdmin(server);
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), bad?.stop()]);
  fixture?.cleanup();
  badFixture?.cleanup();
});

describe('the generic alert webhook', () => {
  it('goes back to investigating when the alert fires again during the hold-down, with no new incident', async () => {
    const alert = { title: 'Docs search failing', severity: 'P1', components: ['docs'], dedupe_key: 'docs-search', summary: 'failing documentation searches' };
    const opened = await send(server, { ...alert, status: 'firing' });
    expect(opened.action).toBe('open');
    expect(await send(server, { ...alert, status: 'resolved' })).toMatchObject({ action: 'monitoring', incident: opened.incident });
    expect((await named(server, 'Docs search failing'))[0]!.status).toBe('monitoring');
    expect(await send(server, { ...alert, status: 'firing' })).toMatchObject({ action: 'investigating', incident: opened.incident });
    const list = await named(server, 'Docs search failing');
    expect(list).toHaveLength(1);
    expect(list[0]!.status).toBe('investigating');
    expect(list[0]!.components).toEqual([expect.objectContaining({ id: 'docs', status: 'partial_outage' })]);
  });

  it("stops automatic updates once a person has posted", async () => {
    const alert = { title: 'Dashboard login errors', severity: 'P0', components: ['dashboard'], dedupe_key: 'dash-login' };
    const opened = await send(server, { ...alert, status: 'firing' });
    expect(opened.action).toBe('open');
    const page = `/admin/incidents/${opened.incident}`;
    const r = await admin.post(page, { action: 'update', status: 'identified', message: 'We have identified the cause as an expired certificate.\nWorking on mitigation. ETA: 10 minutes' });
    expect(r.status).toBe(303);
    const after = await send(server, { ...alert, status: 'resolved' });
    expect(after).toMatchObject({ action: 'none', reason: 'a person has posted on the incident' });
    expect((await named(server, 'Dashboard login errors'))[0]!.status).toBe('identified');
  });

  it('keeps P2 and P3 alerts as drafts by default (nothing public)', async () => {
    const r = await send(server, { title: 'Docs slow', severity: 'P3', components: ['docs'], dedupe_key: 'docs-slow', status: 'firing' });
    expect(r).toMatchObject({ action: 'draft', incident: null });
    expect(await named(server, 'Docs slow')).toHaveLength(0);
    // A person publishes it from admin; it then opens as an alert's incident would.
    const list = await (await admin.get('/admin/alerts')).text();
    const group = /<td>Docs slow <small>\(webhook\)<\/small><\/td>[\s\S]*?name="group" value="([^"]+)"/.exec(list)?.[1];
    expect(group, list).toBeTruthy();
    const published = await admin.post('/admin/alerts', { group: group! });
    expect(published.status).toBe(303);
    const [incident] = await named(server, 'Docs slow');
    expect(incident!.status).toBe('investigating');
    expect(published.headers.get('location')).toBe(`/admin/incidents/${incident!.id}?saved=1`);
    expect((await admin.post('/admin/alerts', { group: group! })).status).toBe(400);
  });

  it('stores alerts and publishes nothing while alerting.yaml has problems', async () => {
    const r = await send(bad, { title: 'API down', severity: 'P0', components: ['api'], dedupe_key: 'api-down', status: 'firing' });
    expect(r.action).toBe('none');
    expect(r.reason).toMatch(/^alerting\.yaml has problems \((resolve_after|severity\.critical): /);
    expect(await named(bad, 'API down')).toHaveLength(0);
  });
});

describe('the hold-down across a restart', () => {
  it('resolves the incident when the due time passes after the server was restarted', async () => {
    const content = createFixture(Date.now());
    content.write('alerting.yaml', 'resolve_after: 3s\n');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-alerts-data-'));
    let s = await startServer({ contentDir: content.dir, env: { ALERTS_TOKEN: TOKEN }, dataDir });
    try {
      const alert = { title: 'Docs build stale', severity: 'P1', components: ['docs'], dedupe_key: 'docs-stale' };
      expect((await send(s, { ...alert, status: 'firing' })).action).toBe('open');
      expect((await send(s, { ...alert, status: 'resolved' })).action).toBe('monitoring');
      await s.stop();
      s = await startServer({ contentDir: content.dir, env: { ALERTS_TOKEN: TOKEN }, dataDir });
      await eventually(async () => expect((await named(s, 'Docs build stale'))[0]!.status).toBe('resolved'), 60_000);
    } finally {
      await s.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      content.cleanup();
    }
  }, 180_000);
});
