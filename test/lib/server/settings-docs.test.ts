// The settings the code reads, .env.example and README's settings tables name the same variables, so none of the
// three can drift: a setting added to a zod schema or read from process.env fails here until it is documented.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCacheSettings } from '../../../src/lib/server/cache/cache-settings.ts';
import { parseEnv } from '../../../src/lib/server/env.ts';

const root = path.resolve(import.meta.dirname, '../../..');
/** Read by libraries rather than by our code (the AWS SDK's credentials), documented all the same. */
const READ_BY_LIBRARIES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|mjs|astro)$/.test(e.name) ? [full] : [];
  });
}

/** Every process.env.X read (not written) in src/ and astro.config.mjs, and every upper-case key of a zod schema. */
function settingsInCode(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sourceFiles(path.join(root, 'src')), path.join(root, 'astro.config.mjs')]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)\b(?!\s*=(?!=))/g)) found.add(m[1]!);
    for (const m of text.matchAll(/process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\](?!\s*=(?!=))/g)) found.add(m[1]!);
    if (/from ['"](astro\/zod|zod)['"]/.test(text)) {
      for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]{2,})\??:\s/gm)) found.add(m[1]!);
    }
  }
  return found;
}

interface ExampleLine { key: string; value: string; active: boolean; line: number }

function envExample(): { lines: string[]; settings: ExampleLine[] } {
  const lines = fs.readFileSync(path.join(root, '.env.example'), 'utf8').split('\n');
  const settings: ExampleLine[] = [];
  lines.forEach((l, i) => {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(l);
    if (m) settings.push({ key: m[2]!, value: m[3]!.replace(/^"(.*)"$/, '$1'), active: !m[1], line: i });
  });
  return { lines, settings };
}

/** The variables named in README's tables headed "| variable | default | meaning |" (`…_X` after a name expands). */
function settingsInReadme(): Set<string> {
  const found = new Set<string>();
  let inTable = false;
  for (const l of fs.readFileSync(path.join(root, 'README.md'), 'utf8').split('\n')) {
    if (/^\|\s*variable\s*\|\s*default\s*\|\s*meaning\s*\|/.test(l)) { inTable = true; continue; }
    if (!l.startsWith('|')) { inTable = false; continue; }
    if (!inTable || /^\|-/.test(l)) continue;
    const first = l.split('|')[1]!;
    let last = '';
    for (const m of first.matchAll(/`([^`]+)`/g)) {
      const name = m[1]!.startsWith('…_') ? `${last.slice(0, last.lastIndexOf('_'))}${m[1]!.slice(1)}` : m[1]!;
      if (/^[A-Z][A-Z0-9_]*$/.test(name)) found.add(name);
      last = name;
    }
  }
  return found;
}

const missing = (from: Set<string> | string[], in_: Set<string>): string[] => [...from].filter((k) => !in_.has(k)).sort();

describe('settings documentation', () => {
  const code = settingsInCode();
  const documented = new Set([...code, ...READ_BY_LIBRARIES]);

  it('finds the settings in the source', () => {
    for (const k of ['DATABASE_URL', 'PORT', 'SITE_URL', 'RESPONSE_CACHE', 'STATIC_EXPORT_S3_PREFIX', 'SKIP_BUILD', 'AWS_REGION']) expect(code).toContain(k);
    expect(code).not.toContain('ASTRO_NODE_AUTOSTART'); // written by the server for the adapter, not a setting
    expect(code).not.toContain('GET');
  });

  it('.env.example lists every setting the code reads, and nothing else', () => {
    const example = new Set(envExample().settings.map((s) => s.key));
    expect(missing(code, example), 'read by the code but missing from .env.example').toEqual([]);
    expect(missing(example, documented), 'in .env.example but read by nothing').toEqual([]);
  });

  it('.env.example explains each setting, and its uncommented values are the defaults', () => {
    const { lines, settings } = envExample();
    const seen = new Set<string>();
    for (const s of settings) {
      if (seen.has(s.key)) continue;
      seen.add(s.key);
      expect(lines[s.line - 1], `${s.key} needs a comment above it`).toMatch(/^#/);
    }
    const active = Object.fromEntries(settings.filter((s) => s.active).map((s) => [s.key, s.value]));
    expect(parseEnv(active)).toEqual(parseEnv({}));
    expect(parseCacheSettings(active)).toEqual(parseCacheSettings({}));
    // The commented examples are valid values too.
    const examples = Object.fromEntries(settings.filter((s) => !s.active).map((s) => [s.key, s.value]));
    expect(() => parseEnv(examples)).not.toThrow();
    expect(() => parseCacheSettings(examples)).not.toThrow();
  });

  it("README's settings tables name every setting the code reads, and nothing else", () => {
    const readme = settingsInReadme();
    expect(missing(code, readme), 'read by the code but missing from README').toEqual([]);
    expect(missing(readme, documented), 'in README but read by nothing').toEqual([]);
  });
});
