// The indexed archive (history-index.ts) against the plain filter it replaced: same incidents on every page.
import { describe, expect, it } from 'vitest';
import type { ContentSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import type { AdminRecords } from '../../../../src/lib/server/status-data/admin-records.ts';
import { mergeModel, type StatusModel } from '../../../../src/lib/server/status-data/status-model.ts';
import { filteredIncidents, type HistoryFilter } from '../../../../src/lib/server/views/history-index.ts';
import { buildHistoryView, HISTORY_PAGE_SIZE } from '../../../../src/lib/server/views/history.view.ts';
import { startedAt } from '../../../../src/lib/status/incident.ts';
import { dayKey } from '../../../../src/lib/status/time.ts';
import type { Component, Incident } from '../../../../src/lib/status/types.ts';

const HOUR = 3_600_000;
const now = Date.parse('2026-12-01T12:00:00Z');
const componentIds = ['api', 'web', 'cdn', 'docs'];
const leaf = (id: string, groupId: string | null, position: number): Component => ({ id, name: id.toUpperCase(), description: null, baseline: 'operational', groupId, position });

function incident(id: string, components: Incident['components'], start: number | null): Incident {
  return {
    id, source: start === null ? 'admin' : 'file', title: `Incident ${id}`, severity: 'P2', impactOverride: null, components,
    startedAt: start, detectedAt: start, acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '',
    updates: start === null ? [] : [{ id: `${id}-r`, at: start + HOUR, status: 'resolved', message: 'Fixed', components: null }],
  };
}

/** 237 incidents over two years in Europe/London, some at local midnight on the first of a month (either side of DST), one with no start. */
function archive(extra: Incident[] = []): StatusModel {
  const incidents: Incident[] = [];
  for (let i = 0; i < 230; i++) {
    const comps: Incident['components'] = i % 5 === 4 ? {} : { [componentIds[i % 4]!]: 'major_outage', ...(i % 7 === 0 ? { cdn: 'degraded_performance' } : {}) };
    incidents.push(incident(`past-${String(i).padStart(3, '0')}`, comps, now - i * 3.1 * 24 * HOUR));
  }
  // Local midnights: 1 April 2026 is 23:00Z the day before (BST); 1 November 2026 is 00:00Z (GMT). And a minute before each.
  for (const [id, at] of [['apr-first', '2026-03-31T23:00:00Z'], ['apr-eve', '2026-03-31T22:59:00Z'], ['nov-first', '2026-11-01T00:00:00Z'], ['nov-eve', '2026-10-31T23:59:00Z'], ['same-time-a', '2026-06-01T10:00:00Z'], ['same-time-b', '2026-06-01T10:00:00Z']] as const) {
    incidents.push(incident(id, { api: 'partial_outage' }, Date.parse(at)));
  }
  incidents.push(incident('no-start', { api: 'major_outage' }, null));
  incidents.push(...extra);
  const [api, web, cdn, docs] = [leaf('api', 'core', 1), leaf('web', 'core', 2), leaf('cdn', 'edge', 4), leaf('docs', null, 5)];
  const snapshot: ContentSnapshot = {
    site: { name: 'Acme', url: 'https://status.acme.test', description: '', timezone: 'Europe/London', supportUrl: null, emailSignature: 'x', logo: null, showReliability: false, languages: ['en'] },
    groups: [
      { id: 'core', name: 'Core', description: null, position: 0, components: [api!, web!] },
      { id: 'edge', name: 'Edge', description: null, position: 3, components: [cdn!] },
    ],
    components: [api!, web!, cdn!, docs!],
    incidents, maintenance: [], postmortems: [],
  };
  const admin: AdminRecords = { incidents: [], maintenance: [], postmortems: [], overrides: new Map() };
  return mergeModel(snapshot, admin, [], now);
}

/** The filter as history.view.ts applied it before the index: every incident tested, month by its local day key. */
function reference(model: StatusModel, filter: HistoryFilter): Incident[] {
  const group = filter.component === null ? undefined : model.groups.find((g) => g.id === filter.component);
  const ids = filter.component === null ? null : group ? group.components.map((c) => c.id) : [filter.component];
  return model.incidents.filter((incident) => {
    if (ids && !ids.some((id) => id in incident.components)) return false;
    if (filter.month) {
      const start = startedAt(incident);
      if (start === null || dayKey(start, model.site.timezone).slice(0, 7) !== filter.month) return false;
    }
    return true;
  });
}

const pageIds = (model: StatusModel, page: number, filter: HistoryFilter): string[] | null =>
  buildHistoryView(model, page, now, filter)?.months.flatMap((m) => m.incidents.map((i) => i.id)) ?? null;

const months = ['2026-11', '2026-10', '2026-04', '2026-03', '2026-06', '2025-01', '2024-12', '1970-01', '2030-01'];
const filters: HistoryFilter[] = [
  { component: null, month: null },
  ...['api', 'web', 'cdn', 'docs', 'core', 'edge'].map((component) => ({ component, month: null })),
  ...months.map((month) => ({ component: null, month })),
  ...months.flatMap((month) => ['api', 'core', 'edge'].map((component) => ({ component, month }))),
];

describe('the indexed archive', () => {
  const model = archive();

  it('keeps exactly the incidents the plain filter kept, in the same order, for every component, group and month', () => {
    expect(model.incidents).toHaveLength(237);
    for (const filter of filters) expect(filteredIncidents(model, filter).map((i) => i.id), JSON.stringify(filter)).toEqual(reference(model, filter).map((i) => i.id));
  });

  it('cuts the months at local midnight on the first, in summer time and in winter time', () => {
    expect(filteredIncidents(model, { component: null, month: '2026-04' }).map((i) => i.id)).toContain('apr-first');
    expect(filteredIncidents(model, { component: null, month: '2026-03' }).map((i) => i.id)).toContain('apr-eve');
    expect(filteredIncidents(model, { component: null, month: '2026-11' }).map((i) => i.id)).toContain('nov-first');
    expect(filteredIncidents(model, { component: null, month: '2026-10' }).map((i) => i.id)).toContain('nov-eve');
    // An incident without a start time is in no month, even the one its sort key (0) falls in.
    expect(filteredIncidents(model, { component: null, month: '1970-01' })).toEqual([]);
  });

  it('pages as before: 25 a page, the boundaries in the same place, null past the last page', () => {
    for (const filter of filters) {
      const expected = reference(model, filter).map((i) => i.id);
      const pageCount = Math.max(1, Math.ceil(expected.length / HISTORY_PAGE_SIZE));
      for (let page = 1; page <= pageCount; page++) {
        expect(pageIds(model, page, filter), `${JSON.stringify(filter)} page ${page}`).toEqual(expected.slice((page - 1) * HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE));
      }
      expect(buildHistoryView(model, 1, now, filter)!.pageCount).toBe(pageCount);
      expect(buildHistoryView(model, 1, now, filter)!.total).toBe(expected.length);
      expect(pageIds(model, pageCount + 1, filter)).toBeNull();
    }
    expect(buildHistoryView(model, 10, now)!.months.flatMap((m) => m.incidents)).toHaveLength(12);
  });

  it('indexes each model on its own: a new model with a new incident shows it, in the list and the month choices', () => {
    expect(pageIds(model, 1, { component: 'docs', month: null })).not.toContain('brand-new');
    const months1 = buildHistoryView(model, 1, now)!.choices.months.map((m) => m.key);
    const later = archive([incident('brand-new', { docs: 'major_outage' }, Date.parse('2027-02-03T10:00:00Z'))]);
    expect(pageIds(later, 1, { component: 'docs', month: null })![0]).toBe('brand-new');
    expect(pageIds(later, 1, { component: 'docs', month: '2027-02' })).toEqual(['brand-new']);
    expect(buildHistoryView(later, 1, now)!.choices.months.map((m) => m.key).slice(0, 3)).toEqual(['2027-02', '2027-01', '2026-12']);
    expect(buildHistoryView(model, 1, now)!.choices.months.map((m) => m.key)).toEqual(months1);
  });

  it('labels the month choices in the reader’s language, each language on its own', () => {
    expect(buildHistoryView(model, 1, now, undefined, 'en')!.choices.months[0]!.label).toMatch(/December 2026/);
    expect(buildHistoryView(model, 1, now, undefined, 'de')!.choices.months[0]!.label).toMatch(/Dezember 2026/);
    expect(buildHistoryView(model, 1, now, undefined, 'en')!.choices.months[0]!.label).toMatch(/December 2026/);
  });
});
