// Every catalog has exactly English's keys, each with English's placeholders, and every key is used somewhere in src.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/lib/i18n/catalogs/en.ts';
import { catalogs } from '../../../src/lib/i18n/translate.ts';
import { locales } from '../../../src/lib/i18n/locales.ts';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|astro)$/.test(e.name) && !p.includes(`${path.sep}i18n${path.sep}catalogs${path.sep}`)) out.push(p);
  }
  return out;
}

describe('interface catalogs', () => {
  const english = Object.keys(en).sort();

  for (const locale of locales) {
    it(`${locale}: no key missing, none extra, the same placeholders as English, nothing left empty`, () => {
      const catalog = catalogs[locale] as Record<string, string>;
      const keys = Object.keys(catalog).sort();
      expect(english.filter((k) => !keys.includes(k)), 'missing').toEqual([]);
      expect(keys.filter((k) => !english.includes(k)), 'extra').toEqual([]);
      for (const k of english) {
        expect(placeholders(catalog[k]!), `${locale} ${k}`).toEqual(placeholders(en[k as keyof typeof en]));
        expect(catalog[k]!.trim(), `${locale} ${k}`).not.toBe('');
      }
    });
  }

  it('every key is used in src: as a literal, or as a plural base', () => {
    const text = sources(path.resolve('src')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const used = (key: string): boolean => {
      if (text.includes(`'${key}'`) || text.includes(`"${key}"`)) return true;
      const base = /^(.*)\.(one|other)$/.exec(key)?.[1];
      return base !== undefined && new RegExp(`\\.plural\\(\\s*['"]${base.replace(/\./g, '\\.')}['"]`).test(text);
    };
    expect(english.filter((k) => !used(k)), 'unused keys').toEqual([]);
  });

  it('the checks catch a missing key and a changed placeholder', () => {
    // The test's own guard: a catalog that drops a key or renames a placeholder does not pass.
    const broken: Record<string, string> = { ...en, 'time.shownIn': 'Zeiten in {zeitzone}.' };
    delete broken['nav.skip'];
    expect(english.filter((k) => !(k in broken))).toEqual(['nav.skip']);
    expect(placeholders(broken['time.shownIn']!)).not.toEqual(placeholders(en['time.shownIn']));
  });
});
