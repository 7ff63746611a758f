// The public view of the model: internal components, groups (with their members), incidents (marked, or touching
// only internal components), maintenance and post-mortems are gone; public incidents keep only public components;
// a repeat_of pointing at a hidden incident is cleared; admin marks add to the file's.
import { describe, expect, it } from 'vitest';
import type { ContentSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import { buildSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import { parseContentFile } from '../../../../src/lib/server/content/content-file.ts';
import type { AdminRecords } from '../../../../src/lib/server/status-data/admin-records.ts';
import { internalComponentIds, isInternalIncident, publicModel } from '../../../../src/lib/server/status-data/public-model.ts';
import { mergeModel } from '../../../../src/lib/server/status-data/status-model.ts';
import type { Incident } from '../../../../src/lib/status/types.ts';

const now = Date.parse('2026-07-10T12:00:00Z');

function incidentFile(id: string, head: string, repeatOf = ''): string {
  return `---\ntitle: Incident ${id}\nseverity: P2\n${head}\n${repeatOf}detected: 2026-07-10T11:00:00Z\nupdates:\n  - at: 2026-07-10T11:05:00Z\n    status: investigating\n    message: Looking.\n---\n`;
}

function snapshot(): ContentSnapshot {
  const files = [
    ['components.yaml', `
- id: core
  name: Core
  components:
    - { id: api, name: API }
    - { id: db, name: Database, audience: internal }
- id: ops
  name: Ops
  audience: internal
  components:
    - { id: runner, name: Runner }
- { id: docs, name: Docs }
`],
    ['incidents/marked.md', incidentFile('marked', 'audience: internal\ncomponents:\n  api: major_outage')],
    ['incidents/only-internal.md', incidentFile('only-internal', 'components:\n  db: major_outage\n  runner: partial_outage')],
    ['incidents/mixed.md', incidentFile('mixed', 'components:\n  api: degraded_performance\n  db: major_outage', 'repeat_of: only-internal\n')],
    ['incidents/none.md', incidentFile('none', '')],
    ['maintenance/quiet.md', '---\ntitle: Quiet\ncomponents: [db]\nscheduled_start: 2026-07-11T10:00:00Z\nscheduled_end: 2026-07-11T11:00:00Z\n---\n'],
    ['maintenance/loud.md', '---\ntitle: Loud\ncomponents: [db, docs]\nscheduled_start: 2026-07-11T10:00:00Z\nscheduled_end: 2026-07-11T11:00:00Z\n---\n'],
    ['postmortems/marked.md', '---\nincident: marked\ntitle: Retro\npublished: 2026-07-10T11:30:00Z\n---\nBody\n'],
  ] as const;
  const parsed = files.map(([f, t]) => {
    const r = parseContentFile(f, t);
    if (!r.ok) throw new Error(`${f}: ${JSON.stringify(r)}`);
    return r.parsed;
  });
  const problems: never[] = [];
  const s = buildSnapshot(parsed, problems);
  expect(problems).toEqual([]);
  return s;
}

const noAdmin: AdminRecords = { incidents: [], maintenance: [], postmortems: [], overrides: new Map() };

describe('publicModel', () => {
  it('reads audience from components.yaml and frontmatter; a group makes its members internal', () => {
    const m = mergeModel(snapshot(), noAdmin, [], now);
    expect([...internalComponentIds(m)].sort()).toEqual(['db', 'runner']);
    expect(m.incidentById.get('marked')!.audience).toBe('internal');
    expect(m.componentById.get('api')!.audience).toBeUndefined();
  });

  it('drops internal items and scrubs every reference to them', () => {
    const full = mergeModel(snapshot(), noAdmin, [], now);
    const pub = publicModel(full);
    expect(pub.components.map((c) => c.id)).toEqual(['api', 'docs']);
    expect(pub.groups.map((g) => [g.id, g.components.map((c) => c.id)])).toEqual([['core', ['api']]]);
    expect(pub.incidents.map((i) => i.id).sort()).toEqual(['mixed', 'none']);
    expect(pub.incidentById.get('mixed')!.components).toEqual({ api: 'degraded_performance' });
    expect(pub.incidentById.get('mixed')!.repeatOf).toBeNull();
    expect(pub.openIncidents.map((i) => i.id).sort()).toEqual(['mixed', 'none']);
    expect(pub.maintenance.map((m) => [m.id, m.components])).toEqual([['loud', ['docs']]]);
    expect(pub.postmortems).toEqual([]);
    expect(pub.publishedPostmortemByIncident.size).toBe(0);
    expect(pub.componentById.has('db')).toBe(false);
    const text = JSON.stringify(pub, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v));
    for (const hidden of ['"db"', 'Database', 'runner', 'Runner', '"ops"', 'marked', 'only-internal', 'Quiet', 'Retro']) expect(text).not.toContain(hidden);
    // The full model is left as it was.
    expect(full.components).toHaveLength(4);
  });

  it('an admin mark makes a component internal, and cannot make a file-internal one public', () => {
    const admin: AdminRecords = { ...noAdmin, internalComponents: new Set(['docs']) };
    const pub = publicModel(mergeModel(snapshot(), admin, [], now));
    expect(pub.components.map((c) => c.id)).toEqual(['api']);
    expect(pub.maintenance).toEqual([]);
  });

  it('an incident with no components is public unless marked', () => {
    const i = { audience: undefined, components: {} } as unknown as Incident;
    expect(isInternalIncident(i, new Set(['x']))).toBe(false);
    expect(isInternalIncident({ ...i, audience: 'internal' }, new Set())).toBe(true);
  });
});
