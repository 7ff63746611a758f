// The export's path list and file layout, and the fingerprints that let settled pages be reused, from a hand-made model.
import { describe, expect, it } from 'vitest';
import type { ContentSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import { exportEntries, fileForPath, publicPaths } from '../../../../src/lib/server/export/export-paths.ts';
import { exportFingerprint } from '../../../../src/lib/server/export/export-fingerprint.ts';
import type { AdminRecords } from '../../../../src/lib/server/status-data/admin-records.ts';
import { mergeModel } from '../../../../src/lib/server/status-data/status-model.ts';
import type { Component, Incident, Postmortem } from '../../../../src/lib/status/types.ts';

const HOUR = 3_600_000;
const now = Date.parse('2026-07-10T12:00:00Z');
const leaf = (id: string, groupId: string | null, position: number): Component => ({ id, name: id.toUpperCase(), description: null, baseline: 'operational', groupId, position });
const api = leaf('api', 'core', 1);
const web = leaf('web', 'core', 2);
const docs = leaf('docs', null, 3);

function incident(id: string, resolved: boolean, extra: Partial<Incident> = {}): Incident {
  const at = now - 10 * HOUR;
  return {
    id, source: 'file', title: `Incident ${id}`, severity: 'P2', impactOverride: null, components: { api: 'partial_outage' },
    startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '',
    // Newest first, as the model keeps them.
    updates: [
      ...(resolved ? [{ id: 'u2', at: at + HOUR, status: 'resolved' as const, message: 'Fixed', components: null }] : []),
      { id: 'u1', at, status: 'investigating', message: 'Looking', components: null },
    ],
    ...extra,
  };
}

function model(incidents: Incident[], postmortems: Postmortem[] = [], showReliability = false) {
  const snapshot: ContentSnapshot = {
    site: { name: 'Acme', url: 'https://status.acme.test', description: '', timezone: 'UTC', supportUrl: null, emailSignature: 'x', logo: null, showReliability },
    groups: [{ id: 'core', name: 'Core', description: null, position: 0, components: [api, web] }],
    components: [api, web, docs],
    incidents,
    maintenance: [{ id: 'db-upgrade', source: 'file', title: 'DB', components: ['api'], scheduledStart: now + HOUR, scheduledEnd: now + 2 * HOUR, body: '', updates: [] }],
    postmortems,
  };
  const admin: AdminRecords = { incidents: [], maintenance: [], postmortems: [], overrides: new Map() };
  return mergeModel(snapshot, admin, [], now);
}

const pm = (id: string, incidentId: string, publishedAt: number | null): Postmortem => ({ id, source: 'file', incidentId, title: `PM ${id}`, body: 'Body', publishedAt });

describe('fileForPath', () => {
  it.each([
    ['/', 'page', 'index.html'],
    ['/history', 'page', 'history.html'],
    ['/history/page/2', 'page', 'history/page/2.html'],
    ['/incidents/2026.11.20-api', 'page', 'incidents/2026.11.20-api.html'],
    ['/incidents/a%20b', 'page', 'incidents/a b.html'],
    ['/postmortems', 'page', 'postmortems.html'],
    ['/404', 'page', '404.html'],
    ['/api/v2/summary.json', 'document', 'api/v2/summary.json'],
    ['/components/api/history.rss', 'document', 'components/api/history.rss'],
  ] as const)('%s (%s) → %s', (p, kind, file) => {
    expect(fileForPath(p, kind)).toBe(file);
  });

  it.each(['/incidents/..', '/incidents/%2E%2E', '/incidents/a%2Fb', '/incidents/%00', 'relative', '/incidents/%E0%A4%A', '/a//b'])('refuses %s', (p) => {
    expect(fileForPath(p, 'page')).toBeNull();
  });
});

describe('publicPaths', () => {
  it('lists every public page and document of the model', () => {
    const incidents = Array.from({ length: 60 }, (_, i) => incident(`past-${i}`, true));
    const m = model([incident('open', false), ...incidents, incident('no-updates', true, { updates: [] })], [pm('pm-1', 'past-1', now - HOUR), pm('draft', 'past-2', null), pm('future', 'past-3', now + HOUR)]);
    const { pages, documents } = publicPaths(m, now);
    expect(pages.slice(0, 4)).toEqual(['/', '/history', '/history/page/2', '/history/page/3']);
    expect(pages).not.toContain('/history/page/4');
    expect(pages).toContain('/postmortems');
    expect(pages).toContain('/subscribe');
    expect(pages).toContain('/incidents/open');
    expect(pages).toContain('/incidents/no-updates');
    expect(pages).toContain('/maintenance/db-upgrade');
    expect(pages).toContain('/postmortems/pm-1');
    expect(pages).not.toContain('/postmortems/draft');
    expect(pages).not.toContain('/postmortems/future');
    expect(pages).not.toContain('/reliability');
    expect(pages.at(-1)).toBe('/404');
    for (const id of ['core', 'api', 'web', 'docs']) {
      for (const d of [`/components/${id}/badge.svg`, `/components/${id}/history.atom`, `/components/${id}/history.rss`, `/api/v1/components/${id}.json`]) expect(documents).toContain(d);
    }
    expect(documents).toEqual(expect.arrayContaining(['/history.atom', '/history.rss', '/badge.svg', '/api/v2/summary.json', '/api/v2/status.json',
      '/api/v2/components.json', '/api/v2/incidents.json', '/api/v2/incidents/unresolved.json', '/api/v2/scheduled-maintenances.json',
      '/api/v2/scheduled-maintenances/active.json', '/api/v2/scheduled-maintenances/upcoming.json', '/api/v1/incidents.json',
      '/api/v1/postmortems.json', '/api/v1/uptime.json', '/api/v1/incidents/open.json']));
    expect(documents).not.toContain('/api/v1/incidents/no-updates.json');
    expect(publicPaths(model([], [], true), now).pages).toContain('/reliability');
  });

  it('gives every entry a distinct file', () => {
    const entries = exportEntries(model([incident('a', true), incident('b', false)]), now);
    expect(new Set(entries.map((e) => e.file)).size).toBe(entries.length);
    expect(entries.find((e) => e.path === '/incidents/a')?.file).toBe('incidents/a.html');
  });
});

describe('languages in the copy', () => {
  it('holds every page again under each other configured language, documents once; a language home is its folder index', () => {
    const m = model([incident('a', true)]);
    const german = { ...m, site: { ...m.site, languages: ['en', 'de'] as const } } as unknown as typeof m;
    const entries = exportEntries(german, now);
    const file = (p: string) => entries.find((e) => e.path === p)?.file;
    expect(file('/de/')).toBe('de/index.html');
    expect(file('/de/history')).toBe('de/history.html');
    expect(file('/de/incidents/a')).toBe('de/incidents/a.html');
    expect(file('/de/subscribe')).toBe('de/subscribe.html');
    expect(entries.some((e) => e.path.startsWith('/de/api/') || e.path === '/de/history.atom')).toBe(false);
    expect(entries.some((e) => e.path.startsWith('/en/'))).toBe(false);
    expect(exportEntries(m, now).some((e) => e.path.startsWith('/de'))).toBe(false);
  });

  it('fingerprints a settled page per language', () => {
    const m = model([incident('done', true)]);
    const en = exportFingerprint(m, '/incidents/done', now, 'https://status.acme.test');
    const de = exportFingerprint(m, '/de/incidents/done', now, 'https://status.acme.test');
    expect(en).not.toBeNull();
    expect(de).not.toBeNull();
    expect(de).not.toBe(en);
    expect(exportFingerprint(m, '/de/', now, 'https://status.acme.test')).toBeNull();
  });
});

describe('exportFingerprint', () => {
  const base = 'https://status.acme.test';
  it('is null for anything that is not an archived incident', () => {
    const m = model([incident('open', false), incident('done', true)]);
    expect(exportFingerprint(m, '/incidents/open', now, base)).toBeNull();
    expect(exportFingerprint(m, '/api/v1/incidents/open.json', now, base)).toBeNull();
    expect(exportFingerprint(m, '/', now, base)).toBeNull();
    expect(exportFingerprint(m, '/history', now, base)).toBeNull();
    expect(exportFingerprint(m, '/history/page/2', now, base)).toBeNull();
    expect(exportFingerprint(m, '/incidents/unknown', now, base)).toBeNull();
    expect(exportFingerprint(m, '/incidents/done', now, base)).not.toBeNull();
  });

  it('stays the same when the clock or unrelated data moves, and changes with anything the page shows', () => {
    const done = incident('done', true);
    const fp = (m: ReturnType<typeof model>, p = '/incidents/done', at = now): string | null => exportFingerprint(m, p, at, base);
    const reference = fp(model([done]));
    expect(fp(model([done, incident('other', false)]), '/incidents/done', now + 5 * HOUR)).toBe(reference);
    expect(fp(model([{ ...done, title: 'Renamed' }]))).not.toBe(reference);
    expect(fp(model([done], [pm('pm', 'done', now - HOUR)]))).not.toBe(reference);
    expect(fp(model([done, incident('first', true)].map((i) => (i.id === 'done' ? { ...i, repeatOf: 'first' } : i))))).not.toBe(reference);
    expect(exportFingerprint(model([done]), '/incidents/done', now, 'https://other.test')).not.toBe(reference);
    expect(fp(model([done]), '/api/v1/incidents/done.json')).not.toBe(reference);
    expect(fp(model([done], [pm('pm', 'done', now + HOUR)]), '/api/v1/incidents/done.json')).toBeNull();
  });

  it('reuses a history page only while all its incidents are resolved and unchanged', () => {
    const archive = Array.from({ length: 50 }, (_, i) => incident(`past-${String(i).padStart(2, '0')}`, true));
    const m = model(archive);
    const page2 = exportFingerprint(m, '/history/page/2', now, base);
    expect(page2).not.toBeNull();
    expect(exportFingerprint(model([...archive, incident('open', false)]), '/history', now, base)).toBeNull();
    expect(exportFingerprint(model(archive), '/history/page/2', now + 5 * HOUR, base)).toBe(page2);
    expect(exportFingerprint(model(archive.map((i, n) => (n === 40 ? { ...i, title: 'Edited' } : i))), '/history/page/2', now, base)).not.toBe(page2);
    expect(exportFingerprint(model([...archive, incident('more', true)]), '/history/page/2', now, base)).not.toBe(page2);
    expect(exportFingerprint(m, '/history/page/3', now, base)).toBeNull();
  });
});
