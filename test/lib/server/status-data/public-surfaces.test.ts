// No public route reads the full model: each goes through visibleModel()/publicStatusModel() (or loadApiContext),
// so a new page cannot show team-only items to the public by forgetting to (docs/decisions/016-internal-audience.md).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../../..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : /\.(astro|ts)$/.test(e.name) ? [full] : [];
  });
}

describe('public surfaces read the public view', () => {
  it('no page or endpoint outside /admin calls statusModel() directly', () => {
    const pages = path.join(root, 'src/pages');
    const offenders = files(pages)
      .filter((f) => !path.relative(pages, f).startsWith('admin'))
      .filter((f) => /\bstatusModel\s*\(/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it('the machine-readable context, feeds, badges and calendars read visibleModel()', () => {
    const ctx = fs.readFileSync(path.join(root, 'src/lib/server/api/api-context.ts'), 'utf8');
    expect(ctx).toMatch(/visibleModel\(\)/);
    expect(ctx).not.toMatch(/\bstatusModel\s*\(/);
    for (const dir of ['src/lib/server/feeds', 'src/lib/server/badges', 'src/lib/server/calendar']) {
      for (const f of files(path.join(root, dir))) expect(fs.readFileSync(f, 'utf8'), f).not.toMatch(/\bstatusModel\s*\(/);
    }
  });
});
