// npm run content:check: one line per problem naming file, field and reason; non-zero exit on any.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';

const root = path.resolve(import.meta.dirname, '../..');
let fixture: Fixture | null = null;
afterEach(() => fixture?.cleanup());

function check(dir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/content-check.ts', dir], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('content:check', () => {
  it('passes the shipped example content', () => {
    const r = check('content');
    expect(r.out).toContain('OK');
    expect(r.status).toBe(0);
  });

  it('reports every problem on its own line and exits non-zero', () => {
    fixture = createFixture(Date.parse('2026-11-20T12:00:00Z'));
    fixture.write('incidents/bad.md', `---
severity: P7
components: { ghost: major_outage }
updates:
  - { at: 2026-11-20T10:00:00, status: fixing, message: hi }
---
`);
    fixture.write('maintenance/backwards.md', `---
title: Backwards
components: [api]
scheduled_start: 2026-12-02T10:00:00Z
scheduled_end: 2026-12-02T09:00:00Z
---
`);
    fixture.write('postmortems/orphan.md', `---\nincident: no-such-incident\ntitle: Orphan\n---\n`);
    fixture.write('components.yaml', `- { id: api, name: API }\n- { id: api, name: Again }\n`);
    const r = check(fixture.dir);
    expect(r.status).toBe(1);
    const lines = r.out.split('\n');
    const has = (file: string, field: string, reason: RegExp): void => {
      expect(lines.some((l) => l.includes(file) && l.includes(`: ${field}: `) && reason.test(l)), `${file} ${field}\n${r.out}`).toBe(true);
    };
    has('incidents/bad.md', 'title', /required/);
    has('incidents/bad.md', 'severity', /P0, P1, P2, P3/);
    has('incidents/bad.md', 'updates.0.at', /offset/);
    has('incidents/bad.md', 'updates.0.status', /investigating/);
    has('maintenance/backwards.md', 'scheduled_end', /after scheduled_start/);
    has('postmortems/orphan.md', 'incident', /unknown incident id 'no-such-incident'/);
    has('components.yaml', '1.id', /duplicate id 'api'/);
  });

  it('names an unknown component id', () => {
    fixture = createFixture(Date.parse('2026-11-20T12:00:00Z'));
    fixture.write('incidents/ghost.md', `---
title: Ghost
severity: P2
components: { ghost: partial_outage }
updates:
  - { at: 2026-11-20T10:00:00Z, status: investigating, message: hi }
---
`);
    const r = check(fixture.dir);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/incidents\/ghost\.md: components\.ghost: unknown component id 'ghost'/);
  });

  it('names a site.yaml logo that an email cannot show', () => {
    fixture = createFixture(Date.parse('2026-11-20T12:00:00Z'));
    fixture.write('site.yaml', 'name: Acme Cloud\nurl: https://status.acme.test\nlogo: "javascript:alert(1)"\n');
    const r = check(fixture.dir);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/site\.yaml: logo: must be an http\(s\) URL or a path relative to the site URL, e\.g\. https:\/\/status\.example\.com\/logo\.png or \/logo\.png/);
  });

  it('refuses a file over 1 MB, a file that is not UTF-8 and a symbolic link loop, each by name, and checks the rest', () => {
    fixture = createFixture(Date.parse('2026-11-20T12:00:00Z'));
    fixture.write('incidents/huge.md', `---\ntitle: Huge\nseverity: P1\ncomponents: { api: major_outage }\nupdates:\n  - { at: 2026-11-20T10:00:00Z, status: investigating, message: Looking. }\n---\n${'x'.repeat(2 * 1024 * 1024)}\n`);
    fs.writeFileSync(path.join(fixture.dir, 'incidents/latin1.md'), Buffer.concat([Buffer.from('---\ntitle: Caf'), Buffer.from([0xe9]), Buffer.from('\nseverity: P1\ncomponents: { api: major_outage }\nupdates:\n  - { at: 2026-11-20T10:00:00Z, status: investigating, message: Looking. }\n---\n')]));
    fs.symlinkSync('loop-b.md', path.join(fixture.dir, 'incidents/loop-a.md'));
    fs.symlinkSync('loop-a.md', path.join(fixture.dir, 'incidents/loop-b.md'));
    fixture.write('incidents/ghost.md', `---\ntitle: Ghost\nseverity: P2\ncomponents: { ghost: partial_outage }\nupdates: []\n---\n`);
    const r = check(fixture.dir);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/incidents\/huge\.md: \(file\): 2\.0 MB \(\d+ bytes\) is over the 1\.0 MB limit for a content file: not read until it is smaller/);
    expect(r.out).toMatch(/incidents\/latin1\.md: \(file\): not valid UTF-8 \(first bad byte at offset 14, line 2\): not loaded until it is saved as UTF-8/);
    expect(r.out).toMatch(/incidents\/loop-a\.md: \(file\): symbolic link loop/);
    expect(r.out).toMatch(/incidents\/loop-b\.md: \(file\): symbolic link loop/);
    expect(r.out).toMatch(/incidents\/ghost\.md: updates: needs at least one update/);
    expect(r.out).toContain('5 problems');
  });
});
