// The public JSON API over HTTP: Statuspage v2 contract, our v1 extras, caching, CORS and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import {
  v2Endpoints, type ComponentsBody, type IncidentsBody, type MaintenancesBody, type SummaryBody,
} from '../helpers/statuspage-schema.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;

/** Adds what this suite needs beyond the shared fixture: an in-progress and a past maintenance, a resolved P2 with a monitoring update. */
function extend(f: Fixture): void {
  f.write('maintenance/cache-migration.md', `---
title: Documentation cache migration
components: [docs]
scheduled_start: ${iso(now - HOUR)}
scheduled_end: ${iso(now + HOUR)}
updates:
  - at: ${iso(now - 3 * HOUR)}
    status: scheduled
    message: We will migrate the documentation cache.
  - at: ${iso(now - HOUR)}
    status: in_progress
    message: The migration is under way.
---
Search may be slow during the window.
`);
  f.write('maintenance/old-network-work.md', `---
title: Network maintenance
components: [api]
scheduled_start: ${iso(now - 100 * HOUR)}
scheduled_end: ${iso(now - 99 * HOUR)}
---
`);
  f.write('incidents/docs-slow.md', `---
title: Slow documentation search
severity: P2
components:
  docs: degraded_performance
updates:
  - at: ${iso(now - 6 * HOUR)}
    status: investigating
    message: Search is slow.
  - at: ${iso(now - 5 * HOUR)}
    status: monitoring
    message: A fix is out; we are watching.
  - at: ${iso(now - 4 * HOUR)}
    status: resolved
    message: Search is fast again.
---
`);
}

const json = async <T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: T }> => {
  const r = await server.get(path, init);
  return { status: r.status, headers: r.headers, body: (await r.json()) as T };
};

beforeAll(async () => {
  fixture = createFixture(now);
  extend(fixture);
  server = await startServer({ contentDir: fixture.dir });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

describe('Statuspage v2 contract', () => {
  it.each(Object.entries(v2Endpoints))('%s matches the Statuspage schema', async (path, schema) => {
    const r = await json(path);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const parsed = schema.safeParse(r.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
  });

  it('reports the open P1 as a major indicator, "Partial System Outage", on status and summary', async () => {
    for (const path of ['/api/v2/status.json', '/api/v2/summary.json']) {
      const { body } = await json<{ status: { indicator: string; description: string } }>(path);
      expect(body.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    }
  });

  it('describes the page with a stable id, the public URL and the time zone', async () => {
    const { body } = await json<SummaryBody>('/api/v2/summary.json');
    expect(body.page).toMatchObject({ name: 'Acme Cloud', url: 'https://status.acme.test', time_zone: 'UTC' });
    expect(body.page.id).toMatch(/^[0-9a-z]{12}$/);
    for (const c of body.components) expect(c.page_id).toBe(body.page.id);
  });

  it('lists groups as components with group: true and their member ids, in display order', async () => {
    const { body } = await json<ComponentsBody>('/api/v2/components.json');
    expect(body.components.map((c) => c.id)).toEqual(['core', 'api', 'dashboard', 'docs']);
    // Positions count per level, as Statuspage's: the group and docs at the top, the members within the group.
    expect(body.components.map((c) => c.position)).toEqual([1, 1, 2, 2]);
    const byId = new Map(body.components.map((c) => [c.id, c]));
    expect(byId.get('core')).toMatchObject({ group: true, group_id: null, components: ['api', 'dashboard'], status: 'partial_outage' });
    expect(byId.get('api')).toMatchObject({ group: false, group_id: 'core', status: 'partial_outage', description: 'REST endpoints' });
    expect(byId.get('docs')).toMatchObject({ group: false, group_id: null, status: 'under_maintenance' });
    expect(byId.get('dashboard')).toMatchObject({ status: 'operational', showcase: true, only_show_if_degraded: false, start_date: null });
    // updated_at: the latest event that touched the component (the open incident's newest update for api).
    expect(Date.parse(byId.get('api')!.updated_at)).toBe(now - 10 * MINUTE);
  });

  it('has exactly the open incident in unresolved, and in summary', async () => {
    const unresolved = await json<IncidentsBody>('/api/v2/incidents/unresolved.json');
    expect(unresolved.body.incidents.map((i) => i.id)).toEqual(['open-api-errors']);
    const summary = await json<SummaryBody>('/api/v2/summary.json');
    expect(summary.body.incidents.map((i) => i.id)).toEqual(['open-api-errors']);
    const open = unresolved.body.incidents[0]!;
    expect(open).toMatchObject({
      name: 'Elevated API error rates', status: 'identified', impact: 'major', resolved_at: null, monitoring_at: null,
      shortlink: 'https://status.acme.test/incidents/open-api-errors',
    });
    expect(open.incident_updates.map((u) => u.status)).toEqual(['identified', 'investigating']);
    expect(open.incident_updates[0]!.body).toContain('**bad deploy**');
    expect(open.incident_updates[1]!.affected_components).toEqual([
      { code: 'api', name: 'Core - Public API', old_status: 'operational', new_status: 'partial_outage' },
    ]);
    expect(open.incident_updates[0]!.affected_components).toBeNull();
    expect(open.components.map((c) => c.id)).toEqual(['api']);
    expect(Date.parse(open.started_at)).toBe(now - 40 * MINUTE);
  });

  it('lists every incident newest first with resolution and monitoring times', async () => {
    const { body } = await json<IncidentsBody>('/api/v2/incidents.json');
    expect(body.incidents.map((i) => i.id)).toEqual(['open-api-errors', 'docs-slow', 'old-dashboard-outage']);
    const old = body.incidents.find((i) => i.id === 'old-dashboard-outage')!;
    // Its post-mortem is published: Statuspage's status postmortem.
    expect(old).toMatchObject({ status: 'postmortem', impact: 'critical' });
    expect(Date.parse(old.resolved_at!)).toBe(now - 48 * HOUR);
    expect(old.incident_updates[0]!.affected_components).toEqual([
      { code: 'dashboard', name: 'Core - Dashboard', old_status: 'major_outage', new_status: 'operational' },
    ]);
    const docs = body.incidents.find((i) => i.id === 'docs-slow')!;
    expect(Date.parse(docs.monitoring_at!)).toBe(now - 5 * HOUR);
    expect(docs.impact).toBe('minor');
  });

  it('splits maintenance into active (in progress) and upcoming (scheduled); summary has both', async () => {
    const active = await json<MaintenancesBody>('/api/v2/scheduled-maintenances/active.json');
    expect(active.body.scheduled_maintenances.map((m) => m.id)).toEqual(['cache-migration']);
    const m = active.body.scheduled_maintenances[0]!;
    expect(m).toMatchObject({ status: 'in_progress', impact: 'maintenance', shortlink: 'https://status.acme.test/maintenance/cache-migration' });
    expect(Date.parse(m.scheduled_for)).toBe(now - HOUR);
    expect(m.incident_updates.map((u) => u.status)).toEqual(['in_progress', 'scheduled', 'scheduled']);
    expect(m.incident_updates[0]!.affected_components).toEqual([
      { code: 'docs', name: 'Documentation', old_status: 'operational', new_status: 'under_maintenance' },
    ]);
    const upcoming = await json<MaintenancesBody>('/api/v2/scheduled-maintenances/upcoming.json');
    expect(upcoming.body.scheduled_maintenances.map((x) => x.id)).toEqual(['db-upgrade']);
    expect(upcoming.body.scheduled_maintenances[0]).toMatchObject({ status: 'scheduled', resolved_at: null });
    const all = await json<MaintenancesBody>('/api/v2/scheduled-maintenances.json');
    expect(all.body.scheduled_maintenances.map((x) => x.id)).toEqual(['db-upgrade', 'cache-migration', 'old-network-work']);
    expect(all.body.scheduled_maintenances[2]).toMatchObject({ status: 'completed' });
    expect(all.body.scheduled_maintenances[2]!.resolved_at).not.toBeNull();
    const summary = await json<SummaryBody>('/api/v2/summary.json');
    expect(summary.body.scheduled_maintenances.map((x) => x.id)).toEqual(['cache-migration', 'db-upgrade']);
  });

  it('keeps ids stable across a restart', async () => {
    const before = await json<SummaryBody>('/api/v2/summary.json');
    const again = await startServer({ contentDir: fixture.dir });
    try {
      const after = (await (await again.get('/api/v2/summary.json')).json()) as SummaryBody;
      expect(after.page.id).toBe(before.body.page.id);
      expect(after.components.map((c) => c.id)).toEqual(before.body.components.map((c) => c.id));
      expect(after.incidents[0]!.incident_updates.map((u) => u.id)).toEqual(before.body.incidents[0]!.incident_updates.map((u) => u.id));
    } finally {
      await again.stop();
    }
  });
});

describe('our v1 extras', () => {
  it('gives severity, response times and post-mortem links', async () => {
    const { status, body } = await json<{ incidents: Record<string, unknown>[] }>('/api/v1/incidents.json');
    expect(status).toBe(200);
    const old = body.incidents.find((i) => i.id === 'old-dashboard-outage')!;
    expect(old).toMatchObject({ severity: 'P0', severity_name: 'Critical', impact: 'critical', status: 'resolved', duration_seconds: 2 * 3600 });
    expect(old.postmortem).toMatchObject({ id: 'old-dashboard-outage', url: 'https://status.acme.test/postmortems/old-dashboard-outage' });
    const open = body.incidents.find((i) => i.id === 'open-api-errors')!;
    expect(open).toMatchObject({ severity: 'P1', postmortem: null, components: [{ id: 'api', name: 'Public API', status: 'partial_outage' }] });
    const one = await json<{ incident: { id: string } }>('/api/v1/incidents/old-dashboard-outage.json');
    expect(one.body.incident.id).toBe('old-dashboard-outage');
    const limited = await json<{ incidents: unknown[] }>('/api/v1/incidents.json?limit=1');
    expect(limited.body.incidents).toHaveLength(1);
    const pms = await json<{ postmortems: { id: string; incident_id: string }[] }>('/api/v1/postmortems.json');
    expect(pms.body.postmortems).toEqual([expect.objectContaining({ id: 'old-dashboard-outage', incident_id: 'old-dashboard-outage' })]);
  });

  it('gives 90 days of uptime per component with per-day figures', async () => {
    const { body } = await json<{ days: number; components: { id: string; uptime: number; days: { date: string; uptime: number | null; worst_status: string; minutes: Record<string, number> }[] }[] }>('/api/v1/uptime.json');
    expect(body.days).toBe(90);
    expect(body.components.map((c) => c.id)).toEqual(['api', 'dashboard', 'docs']);
    for (const c of body.components) expect(c.days).toHaveLength(90);
    const api = body.components.find((c) => c.id === 'api')!;
    expect(api.days.at(-1)!.worst_status).toBe('partial_outage');
    expect(api.uptime).toBeLessThan(1);
    const dashboard = body.components.find((c) => c.id === 'dashboard')!;
    expect(dashboard.days.some((d) => d.worst_status === 'major_outage')).toBe(true);
    const week = await json<{ components: { days: unknown[] }[] }>('/api/v1/uptime.json?days=7');
    expect(week.body.components[0]!.days).toHaveLength(7);
    const one = await json<{ component: { id: string; days: unknown[] } }>('/api/v1/components/api.json?days=3');
    expect(one.body.component.id).toBe('api');
    expect(one.body.component.days).toHaveLength(3);
    const group = await json<{ group: { id: string; components: { id: string }[] } }>('/api/v1/components/core.json');
    expect(group.body.group.components.map((c) => c.id)).toEqual(['api', 'dashboard']);
  });
});

describe('HTTP behaviour', () => {
  it('sends CORS, a short Cache-Control and an ETag, and answers 304 to If-None-Match', async () => {
    const r = await server.get('/api/v2/summary.json');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=30');
    const etag = r.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    await r.arrayBuffer();
    const again = await server.get('/api/v2/summary.json', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    const weak = await server.get('/api/v2/summary.json', { headers: { 'If-None-Match': `"nope", W/${etag}` } });
    expect(weak.status).toBe(304);
    const other = await server.get('/api/v2/summary.json', { headers: { 'If-None-Match': '"something-else"' } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
  });

  it('answers HEAD without a body and OPTIONS preflight with 204', async () => {
    const head = await server.get('/api/v2/status.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBeTruthy();
    expect(await head.text()).toBe('');
    const pre = await server.get('/api/v2/summary.json', {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
  });

  it('refuses writes with a JSON 405', async () => {
    const r = await json<{ error: string }>('/api/v2/summary.json', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.url }, body: '{}',
    });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(r.body.error).toMatch(/read-only/);
  });

  it('answers unknown paths under /api/ with a JSON 404, never HTML', async () => {
    for (const path of ['/api', '/api/', '/api/v2/nope.json', '/api/v2/summary', '/api/v3/summary.json', '/api/v2/incidents/nope/deeper.json']) {
      const r = await server.get(path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(((await r.json()) as { error: string }).error, path).toBeTruthy();
    }
  });

  it('answers unknown ids with a JSON 404', async () => {
    for (const path of ['/api/v1/components/nope.json', '/api/v1/incidents/nope.json', '/components/nope/badge.svg', '/components/nope/history.atom', '/components/nope/history.rss']) {
      const r = await server.get(path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(await r.json(), path).toEqual({ error: expect.stringContaining('nope') });
    }
  });

  it('ignores nonsense query parameters on v2 and rejects bad ones on v1 with 400, never 500', async () => {
    const odd = ['?page=-1', '?limit=abc&x[]=1', '?days=%00', '?callback=<script>', '?' + 'a=1&'.repeat(500)];
    for (const q of odd) {
      for (const path of Object.keys(v2Endpoints)) {
        const r = await server.get(path + q);
        expect(r.status, path + q).toBe(200);
        await r.arrayBuffer();
      }
    }
    // Malformed percent-encoding is refused by the server itself (400) before any route runs.
    const malformed = await server.get('/api/v2/summary.json?%E0%A4%A=1');
    expect(malformed.status).toBeLessThan(500);
    await malformed.arrayBuffer();
    for (const q of ['?days=abc', '?days=0', '?days=91', '?days=1.5', '?days=-3', '?days=%00', '?limit=0', '?limit=99999', '?limit=']) {
      const path = q.startsWith('?days') ? '/api/v1/uptime.json' : '/api/v1/incidents.json';
      const r = await json<{ error: string }>(path + q);
      expect(r.status, path + q).toBe(400);
      expect(r.body.error).toMatch(/days|limit/);
    }
    for (const path of ['/history.atom?x=%ZZ', '/badge.svg?style=<b>', '/api/v1/components/api.json?days=9999']) {
      const r = await server.get(path);
      expect(r.status, path).toBeLessThan(500);
      await r.arrayBuffer();
    }
  });
});
