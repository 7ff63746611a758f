// The fast frontmatter parser must read every file as `yaml` does, and leave whatever it reads differently to `yaml`.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseContentFile, splitFrontmatter } from '../../../../src/lib/server/content/content-file.ts';
import { parseYamlFast } from '../../../../src/lib/server/content/frontmatter-yaml.ts';

const root = path.resolve(import.meta.dirname, '../../../..');
const update = '  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    message: Looking.\n';
const incident = (head: string): string => `---\n${head}severity: P1\nupdates:\n${update}---\nBody.\n`;

describe('parseYamlFast', () => {
  it('reads every shipped content file exactly as yaml does', () => {
    let checked = 0;
    for (const folder of ['incidents', 'maintenance', 'postmortems']) {
      for (const name of fs.readdirSync(path.join(root, 'content', folder))) {
        const split = splitFrontmatter(fs.readFileSync(path.join(root, 'content', folder, name), 'utf8'))!;
        expect(parseYamlFast(split.frontmatter), name).toEqual(parseYaml(split.frontmatter));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('keeps quoted and unquoted times as strings (no Date), as yaml does', () => {
    expect(parseYamlFast('at: 2026-11-20T10:00:00Z\nb: "2026-11-20"\nc: 2026-11-20\n')).toEqual({ at: '2026-11-20T10:00:00Z', b: '2026-11-20', c: '2026-11-20' });
  });

  it('answers undefined for text it refuses, leaving the wording of the problem to yaml', () => {
    expect(parseYamlFast('title: [unclosed\n')).toBeUndefined();
    expect(parseYamlFast('a: 1\na: 2\n')).toBeUndefined();
  });
});

describe('parseContentFile with the fast path', () => {
  it('takes yaml’s reading where the two differ: a title of 1_000 stays the text 1_000', () => {
    const r = parseContentFile('incidents/odd.md', incident('title: 1_000\n'));
    expect(r.ok && r.parsed.kind === 'incident' && r.parsed.value.title).toBe('1_000');
  });

  it('still names the line of invalid YAML and the field zod refuses', () => {
    const bad = parseContentFile('incidents/bad.md', '---\ntitle: A\nseverity: P1\nupdates: [\n---\n');
    expect(bad).toEqual({ ok: false, problems: [{ file: 'incidents/bad.md', field: '', reason: expect.stringMatching(/^invalid YAML at line \d+:/) }] });
    const dup = parseContentFile('incidents/dup.md', incident('title: A\ntitle: B\n'));
    expect(dup.ok).toBe(false);
    const noOffset = parseContentFile('incidents/tz.md', '---\ntitle: A\nseverity: P1\nupdates:\n  - at: 2026-11-20T10:00:00\n    status: investigating\n    message: Looking.\n---\n');
    expect(noOffset).toEqual({ ok: false, problems: [{ file: 'incidents/tz.md', field: 'updates.0.at', reason: expect.stringMatching(/offset/) }] });
  });

  it('keeps the markdown body as text, unrendered', () => {
    const r = parseContentFile('incidents/x.md', `---\ntitle: A\nseverity: P1\nupdates:\n${update}---\n<script>alert(1)</script> **bold**\n`);
    expect(r.ok && r.parsed.kind === 'incident' && r.parsed.body).toBe('<script>alert(1)</script> **bold**');
  });
});
