// A markdown incident can ask for (or decline) subscriber emails, like the admin's "notify subscribers" box.
import { describe, expect, it } from 'vitest';
import { parseContentFile, type ParsedFile } from '../../../../src/lib/server/content/content-file.ts';
import { buildSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import { incidentUpdateNotifies } from '../../../../src/lib/server/email/recipients.ts';

function incident(frontmatter: string): ReturnType<typeof buildSnapshot>['incidents'][number] {
  const files: ParsedFile[] = [];
  for (const [file, text] of [
    ['site.yaml', 'name: X\nurl: https://x.test\n'],
    ['components.yaml', '- { id: api, name: API }\n'],
    ['incidents/i.md', `---\ntitle: T\ncomponents: { api: partial_outage }\n${frontmatter}\n---\n`],
  ] as const) {
    const r = parseContentFile(file, text);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    files.push(r.parsed);
  }
  return buildSnapshot(files, []).incidents[0]!;
}

const updates = (extra = ''): string => `updates:\n  - { at: 2026-11-20T10:00:00Z, status: investigating, message: m${extra} }\n  - { at: 2026-11-20T10:30:00Z, status: resolved, message: r }`;

describe('notify in incident frontmatter', () => {
  it.each([
    ['P1 by default', 'severity: P1', true],
    ['P3 by default', 'severity: P3', false],
    ['P3 with notify: true', 'severity: P3\nnotify: true', true],
    ['P1 with notify: false', 'severity: P1\nnotify: false', false],
  ])('%s', (_name, head, expected) => {
    const i = incident(`${head}\n${updates()}`);
    for (const u of i.updates) expect(incidentUpdateNotifies(i.severity, u)).toBe(expected);
  });

  it('an update can override the incident', () => {
    const i = incident(`severity: P3\n${updates(', notify: true')}`);
    const byStatus = Object.fromEntries(i.updates.map((u) => [u.status, incidentUpdateNotifies(i.severity, u)]));
    expect(byStatus).toEqual({ investigating: true, resolved: false });
  });

  it('refuses a notify that is not true or false', () => {
    const r = parseContentFile('incidents/i.md', `---\ntitle: T\nseverity: P3\nnotify: maybe\n${updates()}\n---\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toContainEqual({ file: 'incidents/i.md', field: 'notify', reason: 'must be true or false' });
  });
});
