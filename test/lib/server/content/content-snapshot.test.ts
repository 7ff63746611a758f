import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSite } from '../../../../src/lib/server/content/content-snapshot.ts';
import { readContent } from '../../../../src/lib/server/content/content-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const files: Record<string, string> = {
  'site.yaml': 'name: Acme\nurl: https://status.acme.example\ntimezone: Europe/London\nsupport_url: https://help.acme.example\n',
  'components.yaml': [
    '- id: platform',
    '  name: Platform',
    '  components:',
    '    - id: api',
    '      name: Public API',
    '    - id: dashboard',
    '      name: Dashboard',
    '      status: degraded_performance',
    '- id: docs',
    '  name: Docs',
    '  description: Documentation site',
  ].join('\n'),
  'incidents/2026-11-20-api.md': [
    '---',
    'title: API errors',
    'severity: P1',
    'components:',
    '  api: major_outage',
    'started: 2026-11-20T09:55:00Z',
    'updates:',
    '  - at: 2026-11-20T11:00:00Z',
    '    status: resolved',
    '    message: Fixed.',
    '  - at: 2026-11-20T10:00:00Z',
    '    status: investigating',
    '    message: Looking into it.',
    '  - at: 2026-11-20T10:30:00Z',
    '    status: identified',
    '    message: Found it.',
    '---',
    'What happened.',
  ].join('\n'),
  'maintenance/2026-12-01-db.md': '---\ntitle: DB upgrade\ncomponents: [api]\nscheduled_start: 2026-12-01T06:00:00Z\nscheduled_end: 2026-12-01T08:00:00Z\n---\nDetails.\n',
  'postmortems/2026-11-20-api.md': '---\nincident: 2026-11-20-api\ntitle: API errors post-mortem\n---\n## Summary\n',
};

function contentDir(overrides: Record<string, string | null> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-content-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries({ ...files, ...overrides })) {
    if (text === null) continue;
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const incidentWith = (lines: string[]): string =>
  ['---', 'title: Other', 'severity: P2', ...lines, 'updates:', '  - at: 2026-11-21T10:00:00Z', '    status: investigating', '    message: m', '---', ''].join('\n');

describe('readContent: a valid set', () => {
  it('builds the snapshot with groups, standalone components, incidents, maintenance and post-mortems', () => {
    const { snapshot, problems } = readContent(contentDir());
    expect(problems).toEqual([]);
    expect(snapshot.site).toEqual({
      name: 'Acme', url: 'https://status.acme.example', description: '', timezone: 'Europe/London',
      supportUrl: 'https://help.acme.example', emailSignature: 'Engineering Team', logo: null, showReliability: false,
      languages: ['en'],
    });
    expect(snapshot.groups.map((g) => [g.id, g.components.map((c) => c.id)])).toEqual([['platform', ['api', 'dashboard']]]);
    expect(snapshot.components.map((c) => [c.id, c.groupId, c.baseline, c.position])).toEqual([
      ['api', 'platform', 'operational', 1],
      ['dashboard', 'platform', 'degraded_performance', 2],
      ['docs', null, 'operational', 3],
    ]);
    expect(snapshot.components[2]!.description).toBe('Documentation site');
  });

  it('stores incident updates newest first, with unique ids', () => {
    const [incident] = readContent(contentDir()).snapshot.incidents;
    expect(incident).toMatchObject({ id: '2026-11-20-api', title: 'API errors', severity: 'P1', components: { api: 'major_outage' }, body: 'What happened.' });
    expect(incident!.updates.map((u) => u.status)).toEqual(['resolved', 'identified', 'investigating']);
    expect(new Set(incident!.updates.map((u) => u.id)).size).toBe(3);
  });

  it('a draft post-mortem has publishedAt null; a published one has its instant', () => {
    expect(readContent(contentDir()).snapshot.postmortems).toEqual([
      expect.objectContaining({ incidentId: '2026-11-20-api', publishedAt: null }),
    ]);
    const published = contentDir({ 'postmortems/2026-11-20-api.md': '---\nincident: 2026-11-20-api\ntitle: PM\npublished: 2026-11-21T16:00:00Z\n---\n' });
    expect(readContent(published).snapshot.postmortems[0]!.publishedAt).toBe(Date.parse('2026-11-21T16:00:00Z'));
  });

  it('a published post-mortem still holding template placeholders stays a draft, one problem per placeholder at its file line', () => {
    const text = '---\nincident: 2026-11-20-api\ntitle: "Incident Post-Mortem: [Date] - API errors"\npublished: 2026-11-21T16:00:00Z\n---\n\n## Summary\n- **Severity**: PX\n\n## Action Items\n- [ ] Fix root cause (owner, deadline)\n';
    const { snapshot, problems } = readContent(contentDir({ 'postmortems/2026-11-20-api.md': text }));
    expect(problems).toEqual([
      { file: 'postmortems/2026-11-20-api.md', field: 'title', reason: 'placeholder [Date] left from the template' },
      { file: 'postmortems/2026-11-20-api.md', field: 'body line 8', reason: 'placeholder PX left from the template' },
      { file: 'postmortems/2026-11-20-api.md', field: 'body line 11', reason: 'placeholder (owner, deadline) left from the template' },
    ]);
    expect(text.split('\n')[7]).toBe('- **Severity**: PX');
    const [pm] = snapshot.postmortems;
    expect(pm!.publishedAt).toBeNull();
    expect(pm!.withheld).toEqual({ publishAt: Date.parse('2026-11-21T16:00:00Z'), placeholders: [
      { field: 'title', line: 1, text: '[Date]' }, { field: 'body', line: 8, text: 'PX' }, { field: 'body', line: 11, text: '(owner, deadline)' },
    ] });
  });

  it('a draft post-mortem may hold placeholders: no problem', () => {
    const text = '---\nincident: 2026-11-20-api\ntitle: PM\n---\n- **Severity**: PX\n';
    const { snapshot, problems } = readContent(contentDir({ 'postmortems/2026-11-20-api.md': text }));
    expect(problems).toEqual([]);
    expect(snapshot.postmortems[0]!.withheld).toBeUndefined();
  });

  it('maintenance keeps its window as instants', () => {
    expect(readContent(contentDir()).snapshot.maintenance).toEqual([expect.objectContaining({
      id: '2026-12-01-db', components: ['api'], scheduledStart: Date.parse('2026-12-01T06:00:00Z'), scheduledEnd: Date.parse('2026-12-01T08:00:00Z'),
    })]);
  });
});

describe('readContent: problems across files name file, field and reason, and drop what is broken', () => {
  it.each<[string, Record<string, string | null>, { file: string; field: string; reason: RegExp }]>([
    ['unknown component in an incident',
      { 'incidents/2026-11-21-x.md': incidentWith(['components:', '  billing: partial_outage']) },
      { file: 'incidents/2026-11-21-x.md', field: 'components.billing', reason: /unknown component id 'billing'/ }],
    ['unknown component in maintenance',
      { 'maintenance/2026-12-01-db.md': '---\ntitle: M\ncomponents: [api, billing]\nscheduled_start: 2026-12-01T06:00:00Z\nscheduled_end: 2026-12-01T08:00:00Z\n---\n' },
      { file: 'maintenance/2026-12-01-db.md', field: 'components.1', reason: /unknown component id 'billing'/ }],
    ['maintenance ending before it starts',
      { 'maintenance/2026-12-01-db.md': '---\ntitle: M\nscheduled_start: 2026-12-01T08:00:00Z\nscheduled_end: 2026-12-01T06:00:00Z\n---\n' },
      { file: 'maintenance/2026-12-01-db.md', field: 'scheduled_end', reason: /must be after scheduled_start/ }],
    ['repeat_of an unknown incident',
      { 'incidents/2026-11-21-x.md': incidentWith(['repeat_of: 2026-01-01-nope']) },
      { file: 'incidents/2026-11-21-x.md', field: 'repeat_of', reason: /unknown incident id '2026-01-01-nope'/ }],
  ])('%s', (_name, overrides, expected) => {
    const { snapshot, problems } = readContent(contentDir(overrides));
    expect(problems).toContainEqual({ ...expected, reason: expect.stringMatching(expected.reason) });
    const id = path.basename(expected.file, '.md');
    expect([...snapshot.incidents, ...snapshot.maintenance].map((x) => x.id)).not.toContain(id);
  });

  it('a post-mortem for an unknown incident is reported and not published', () => {
    const { snapshot, problems } = readContent(contentDir({ 'postmortems/ghost.md': '---\nincident: 2026-01-01-nope\ntitle: PM\n---\n' }));
    expect(problems).toContainEqual({ file: 'postmortems/ghost.md', field: 'incident', reason: "unknown incident id '2026-01-01-nope'" });
    expect(snapshot.postmortems.map((p) => p.id)).toEqual(['2026-11-20-api']);
  });

  it('a second post-mortem for the same incident is reported', () => {
    const { problems } = readContent(contentDir({ 'postmortems/zz-second.md': '---\nincident: 2026-11-20-api\ntitle: PM 2\n---\n' }));
    expect(problems).toContainEqual({ file: 'postmortems/zz-second.md', field: 'incident', reason: expect.stringMatching(/already has a post-mortem/) });
  });

  it('repeat_of a known incident is accepted', () => {
    const { snapshot, problems } = readContent(contentDir({ 'incidents/2026-11-21-x.md': incidentWith(['repeat_of: 2026-11-20-api']) }));
    expect(problems).toEqual([]);
    expect(snapshot.incidents.find((i) => i.id === '2026-11-21-x')!.repeatOf).toBe('2026-11-20-api');
  });

  it.each<[string, string, string]>([
    ['group member duplicates a standalone component', '- id: api\n  name: API\n- id: platform\n  name: Platform\n  components:\n    - id: api\n      name: API again\n', '1.components.0.id'],
    ['two standalone components with one id', '- id: api\n  name: API\n- id: api\n  name: API again\n', '1.id'],
  ])('duplicate component id: %s', (_name, yaml, field) => {
    const { snapshot, problems } = readContent(contentDir({ 'components.yaml': yaml }));
    expect(problems).toContainEqual({ file: 'components.yaml', field, reason: "duplicate id 'api'" });
    expect(snapshot.components.filter((c) => c.id === 'api')).toHaveLength(1);
  });

  it('a file-level problem (unknown update status) drops the incident and names the field', () => {
    const broken = files['incidents/2026-11-20-api.md']!.replace('status: identified', 'status: fixing');
    const { snapshot, problems } = readContent(contentDir({ 'incidents/2026-11-20-api.md': broken }));
    expect(problems).toContainEqual({ file: 'incidents/2026-11-20-api.md', field: 'updates.2.status', reason: expect.stringMatching(/must be one of/) });
    expect(snapshot.incidents).toEqual([]);
  });

  it('missing site.yaml is reported and the default site is used', () => {
    const { snapshot, problems } = readContent(contentDir({ 'site.yaml': null }));
    expect(problems).toContainEqual({ file: 'site.yaml', field: '', reason: 'missing' });
    expect(snapshot.site).toEqual(defaultSite);
  });

  it('a missing content directory is reported', () => {
    const dir = path.join(contentDir(), 'absent');
    expect(readContent(dir).problems).toContainEqual({ file: dir, field: '', reason: 'content directory does not exist' });
  });
});
