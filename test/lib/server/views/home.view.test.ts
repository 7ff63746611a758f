// The front page's view: a group's bar is each day the worst of its components, problem groups start open,
// each day's tooltip names its date, uptime, minutes per outage kind and incidents, and open incidents show three updates.
import { describe, expect, it } from 'vitest';
import type { ContentSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import type { AdminRecords } from '../../../../src/lib/server/status-data/admin-records.ts';
import { mergeModel } from '../../../../src/lib/server/status-data/status-model.ts';
import { buildHomeView, groupHasProblem } from '../../../../src/lib/server/views/home.view.ts';
import type { Component, Incident, Maintenance } from '../../../../src/lib/status/types.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const now = Date.parse('2026-07-10T12:00:00Z');
const leaf = (id: string, groupId: string | null, position: number): Component => ({ id, name: id.toUpperCase(), description: `About ${id}`, baseline: 'operational', groupId, position });

function incident(id: string, components: Incident['components'], start: number, end: number | null, updates = 1): Incident {
  const list: Incident['updates'] = [];
  if (end !== null) list.push({ id: `${id}-r`, at: end, status: 'resolved', message: 'Fixed', components: null });
  for (let k = updates - 1; k >= 0; k--) list.push({ id: `${id}-${k}`, at: start + k * MINUTE, status: 'investigating', message: `Update ${k}`, components: null });
  return {
    id, source: 'file', title: `Incident ${id}`, severity: 'P2', impactOverride: null, components,
    startedAt: start, detectedAt: start, acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates: list,
  };
}

function model(incidents: Incident[], maintenance: Maintenance[] = []) {
  const [api, web, cdn, docs] = [leaf('api', 'core', 1), leaf('web', 'core', 2), leaf('cdn', 'edge', 3), leaf('docs', null, 4)];
  const snapshot: ContentSnapshot = {
    site: { name: 'Acme', url: 'https://status.acme.test', description: '', timezone: 'UTC', supportUrl: null, emailSignature: 'x', logo: null, showReliability: false },
    groups: [
      { id: 'core', name: 'Core', description: null, position: 0, components: [api!, web!] },
      { id: 'edge', name: 'Edge', description: null, position: 2, components: [cdn!] },
    ],
    components: [api!, web!, cdn!, docs!],
    incidents,
    maintenance,
    postmortems: [],
  };
  const admin: AdminRecords = { incidents: [], maintenance: [], postmortems: [], overrides: new Map() };
  return mergeModel(snapshot, admin, [], now);
}

const yesterdayNoon = Date.parse('2026-07-09T12:00:00Z');

describe('group bar', () => {
  it('takes each day the worst status of its components, and the names of all their incidents', () => {
    const m = model([
      incident('web-slow', { web: 'degraded_performance' }, yesterdayNoon - 2 * HOUR, yesterdayNoon),
      incident('api-down', { api: 'major_outage' }, yesterdayNoon, yesterdayNoon + 30 * MINUTE),
    ]);
    const core = buildHomeView(m, now).groups.find((g) => g.id === 'core')!;
    const day = core.days!.find((d) => d.day === '2026-07-09')!;
    expect(day.level).toBe('major');
    expect(day.worstLabel).toBe('Major outage');
    expect(day.incidents!.map((i) => i.id).sort()).toEqual(['api-down', 'web-slow']);
    expect(core.days!.find((d) => d.day === '2026-07-08')!.level).toBe('ok');
    // The mean of the two components' days: api lost 30 of 1440 minutes, web none.
    expect(day.uptimeText).toBe(`${(Math.floor((1 - 30 / 1440 / 2) * 10000) / 100).toFixed(2)}% uptime`);
    expect(core.days).toHaveLength(90);
  });
});

describe('which groups start open', () => {
  it('opens a group with a component not operational or in maintenance under way, and no other', () => {
    const status = new Map([['a', 'operational'], ['b', 'partial_outage'], ['c', 'operational']]);
    expect(groupHasProblem(['a', 'b'], status, new Set())).toBe(true);
    expect(groupHasProblem(['a', 'c'], status, new Set())).toBe(false);
    expect(groupHasProblem(['a', 'c'], status, new Set(['c']))).toBe(true);
  });

  it('from the model: an open incident opens its group, active maintenance opens another, a quiet group stays closed', () => {
    const open = model([incident('api-now', { api: 'partial_outage' }, now - HOUR, null)]);
    const groups = buildHomeView(open, now).groups;
    expect(groups.find((g) => g.id === 'core')!.open).toBe(true);
    expect(groups.find((g) => g.id === 'edge')!.open).toBe(false);
    const maint: Maintenance = { id: 'm', source: 'file', title: 'CDN work', components: ['cdn'], scheduledStart: now - HOUR, scheduledEnd: now + HOUR, body: '', updates: [] };
    const withMaintenance = buildHomeView(model([], [maint]), now).groups;
    expect(withMaintenance.find((g) => g.id === 'edge')!.open).toBe(true);
    expect(withMaintenance.find((g) => g.id === 'core')!.open).toBe(false);
  });
});

describe('a day’s tooltip', () => {
  it('says the date, the day’s uptime, the minutes of each outage kind and the incidents with their links', () => {
    const m = model([
      incident('api-partial', { api: 'partial_outage' }, yesterdayNoon - 2 * HOUR, yesterdayNoon - HOUR),
      incident('api-major', { api: 'major_outage' }, yesterdayNoon, yesterdayNoon + 15 * MINUTE),
    ]);
    const api = buildHomeView(m, now).groups[0]!.components.find((c) => c.id === 'api')!;
    const day = api.days.find((d) => d.day === '2026-07-09')!;
    expect(day.date).toBe('9 Jul 2026');
    // 1 − (15 + 0.3 × 60) / 1440
    expect(day.uptimeText).toBe(`${(Math.floor((1 - 33 / 1440) * 10000) / 100).toFixed(2)}% uptime`);
    expect(day.outages).toEqual([
      { level: 'major', label: 'Major outage', durationText: '15 min' },
      { level: 'partial', label: 'Partial outage', durationText: '1 h' },
    ]);
    expect(day.incidents).toEqual(expect.arrayContaining([
      { id: 'api-major', href: '/incidents/api-major', title: 'Incident api-major' },
      { id: 'api-partial', href: '/incidents/api-partial', title: 'Incident api-partial' },
    ]));
    expect(day.eventful).toBe(true);
    const quiet = api.days.find((d) => d.day === '2026-07-01')!;
    expect(quiet).toMatchObject({ level: 'ok', uptimeText: '100.00% uptime', outages: [], incidents: [], eventful: false });
  });

  it('is translated with the reader’s language', () => {
    const api = buildHomeView(model([]), now, now, 'de').groups[0]!.components[0]!;
    expect(api.uptimeText).toBe('100,00\u00a0% verfügbar');
  });
});

describe('open incidents on the front page', () => {
  it('carry their three newest updates, newest first, and the count of all', () => {
    const m = model([incident('long', { api: 'major_outage' }, now - HOUR, null, 5)]);
    const [active] = buildHomeView(m, now).activeIncidents;
    expect(active!.updateCount).toBe(5);
    expect(active!.latestUpdates.map((u) => u.html)).toEqual(['<p>Update 4</p>\n', '<p>Update 3</p>\n', '<p>Update 2</p>\n']);
  });
});
