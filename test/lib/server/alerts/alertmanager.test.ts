// Alerts in, end to end: Debian's real Alertmanager delivers to the real built server over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, HOUR, iso, type Fixture } from '../../../helpers/fixture.ts';
import { eventually, freePort, startServer, type RunningServer } from '../../../helpers/server.ts';

const AM = '/usr/bin/prometheus-alertmanager';
const TOKEN = 'alerts-token-for-tests-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

interface ApiIncident { id: string; name: string; status: string; severity: string; detected_at: string | null; components: { id: string; status: string }[] }

let fixture: Fixture;
let server: RunningServer;
let off: RunningServer;
let am: ChildProcess;
let amUrl: string;
let amDir: string;
let amOut = '';

async function incidents(): Promise<ApiIncident[]> {
  const r = await server.get('/api/v1/incidents.json?limit=100');
  return ((await r.json()) as { incidents: ApiIncident[] }).incidents;
}
const named = async (name: string): Promise<ApiIncident[]> => (await incidents()).filter((i) => i.name === name);

async function componentStatus(id: string): Promise<string> {
  const r = await server.get(`/api/v1/components/${id}.json`);
  const body = (await r.json()) as { component?: { status: string }; status?: string };
  return body.component?.status ?? body.status ?? 'unknown';
}

const post = (p: string, body: unknown, headers: Record<string, string> = auth): Promise<Response> =>
  server.get(p, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  const now = Date.now();
  fixture = createFixture(now);
  // A short hold-down so the test sees the resolution; the dashboard is under maintenance right now.
  fixture.write('alerting.yaml', 'component_label: component\nseverity_label: severity\nseverity: { critical: P1, warning: P2, info: P3, disaster: P0 }\npublish: { P0: auto, P1: auto, P2: draft, P3: draft }\nresolve_after: 2s\n');
  fixture.write('maintenance/dashboard-move.md', `---\ntitle: Dashboard move\ncomponents: [dashboard]\nscheduled_start: ${iso(now - HOUR)}\nscheduled_end: ${iso(now + 3 * HOUR)}\n---\nMoving.\n`);
  [server, off] = await Promise.all([startServer({ contentDir: fixture.dir, env: { ALERTS_TOKEN: TOKEN } }), startServer({ contentDir: fixture.dir })]);

  amDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-am-'));
  const config = {
    global: { resolve_timeout: '5m' },
    route: { receiver: 'kaizen', group_by: ['alertname'], group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
    receivers: [{
      name: 'kaizen',
      webhook_configs: [{ url: `${server.url}/api/v1/alerts/alertmanager`, send_resolved: true, http_config: { authorization: { type: 'Bearer', credentials: TOKEN } } }],
    }],
  };
  // JSON is YAML.
  fs.writeFileSync(path.join(amDir, 'alertmanager.yml'), JSON.stringify(config));
  const port = await freePort();
  amUrl = `http://127.0.0.1:${port}`;
  am = spawn(AM, [
    `--config.file=${path.join(amDir, 'alertmanager.yml')}`, `--storage.path=${path.join(amDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  am.stdout!.on('data', (d: Buffer) => { amOut += d.toString(); });
  am.stderr!.on('data', (d: Buffer) => { amOut += d.toString(); });
  await eventually(async () => {
    const r = await fetch(`${amUrl}/-/ready`);
    if (!r.ok) throw new Error(`alertmanager not ready: ${r.status}\n${amOut}`);
  }, 30_000);
}, 120_000);

afterAll(async () => {
  if (am && am.exitCode === null) {
    const exited = new Promise((r) => am.once('exit', r));
    am.kill('SIGTERM');
    await exited;
  }
  await Promise.all([server?.stop(), off?.stop()]);
  if (amDir) fs.rmSync(amDir, { recursive: true, force: true });
  fixture?.cleanup();
});

async function fire(labels: Record<string, string>, annotations: Record<string, string>, startsAt: string, endsAt?: string): Promise<void> {
  const r = await fetch(`${amUrl}/api/v2/alerts`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ labels, annotations, startsAt, ...(endsAt ? { endsAt } : {}) }]),
  });
  expect(r.status, await r.text()).toBe(200);
}

describe('alerts from Alertmanager', () => {
  it('opens one incident per group, maps the component, and resolves after the hold-down', async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const labels = { alertname: 'DocsDown', component: 'docs', severity: 'critical' };
    const annotations = { summary: 'errors loading the documentation site' };
    await fire(labels, annotations, startsAt);
    await eventually(async () => {
      const list = await named('errors loading the documentation site');
      expect(list).toHaveLength(1);
    }, 60_000);
    const [incident] = await named('errors loading the documentation site');
    expect(incident!.status).toBe('investigating');
    expect(incident!.severity).toBe('P1');
    // startsAt is when it was detected.
    expect(Date.parse(incident!.detected_at!)).toBe(Date.parse(startsAt));
    expect(incident!.components).toEqual([expect.objectContaining({ id: 'docs', status: 'partial_outage' })]);
    expect(await componentStatus('docs')).toBe('partial_outage');
    const page = await (await server.get(`/incidents/${incident!.id}`)).text();
    expect(page).toContain('We are investigating reports of errors loading the documentation site.');

    // Resolved through Alertmanager: monitoring, then resolved once the 2 s hold-down has passed; still one incident.
    await fire(labels, annotations, startsAt, new Date().toISOString());
    await eventually(async () => {
      const [i] = await named('errors loading the documentation site');
      expect(i!.status).toBe('resolved');
    }, 60_000);
    expect(await named('errors loading the documentation site')).toHaveLength(1);
    expect(await componentStatus('docs')).toBe('operational');
    const audit = await (await server.get(`/incidents/${incident!.id}`)).text();
    expect(audit).toContain('A fix has been applied and we are monitoring the results.');
  }, 180_000);

  it('takes the same delivery twice (a retry) as one', async () => {
    const payload = {
      version: '4', groupKey: '{}:{alertname="QueueStuck"}', status: 'firing', receiver: 'kaizen', externalURL: amUrl, truncatedAlerts: 0,
      groupLabels: { alertname: 'QueueStuck' }, commonLabels: { alertname: 'QueueStuck', component: 'docs', severity: 'disaster' },
      commonAnnotations: { summary: 'search index queue stuck' },
      alerts: [{
        status: 'firing', labels: { alertname: 'QueueStuck', component: 'docs', severity: 'disaster' }, annotations: { summary: 'search index queue stuck' },
        startsAt: new Date(Date.now() - 120_000).toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'a1b2c3d4e5f60708',
      }],
    };
    const first = await post('/api/v1/alerts/alertmanager', payload);
    expect(first.status, await first.clone().text()).toBe(200);
    const second = await post('/api/v1/alerts/alertmanager', payload);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { action: string }).action).toBe('none');
    const list = await named('search index queue stuck');
    expect(list).toHaveLength(1);
    expect(list[0]!.severity).toBe('P0');
    expect(list[0]!.components).toEqual([expect.objectContaining({ id: 'docs', status: 'major_outage' })]);
  });

  it('records alerts during a maintenance window and publishes nothing', async () => {
    const r = await post('/api/v1/alerts/webhook', { title: 'Dashboard slow during the move', severity: 'P1', components: ['dashboard'], status: 'firing', dedupe_key: 'probe-dashboard' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { action: string; reason?: string; incident: string | null };
    expect(body).toMatchObject({ action: 'none', incident: null });
    expect(body.reason).toContain("maintenance 'dashboard-move'");
    expect(await named('Dashboard slow during the move')).toHaveLength(0);
    expect(await componentStatus('dashboard')).toBe('under_maintenance');
  });

  it('refuses a bad token or body with a JSON reason (4xx), and is 404 without ALERTS_TOKEN', async () => {
    const wrong = await post('/api/v1/alerts/alertmanager', { version: '4' }, { authorization: 'Bearer nope', 'content-type': 'application/json' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toHaveProperty('error');
    const bad = await post('/api/v1/alerts/alertmanager', { version: '3', groupKey: 'x', status: 'firing', alerts: [] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^version: /);
    const notJson = await post('/api/v1/alerts/webhook', '{');
    expect(notJson.status).toBe(400);
    const missing = await post('/api/v1/alerts/webhook', { title: 'x', severity: 'P9', status: 'firing', dedupe_key: 'k' });
    expect(((await missing.json()) as { error: string }).error).toMatch(/^severity: /);
    const unset = await off.get('/api/v1/alerts/alertmanager', { method: 'POST', headers: auth, body: '{}' });
    expect(unset.status).toBe(404);
  });
});
