// The routes src/pages declares, as written there ('/incidents/[id]'): tests that must cover every page derive
// their lists from this, so a new page without coverage fails them.
import fs from 'node:fs';
import path from 'node:path';

const pagesDir = path.resolve(import.meta.dirname, '../../src/pages');

/** Every page (`.astro`) or, with `endpoints`, every page and endpoint (`.ts`) under src/pages, sorted. */
export function pageRoutes(options: { endpoints: boolean }): string[] {
  const extension = options.endpoints ? /\.(astro|ts)$/ : /\.astro$/;
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (extension.test(e.name)) out.push(`/${path.relative(pagesDir, full).replace(extension, '').replace(/(^|\/)index$/, '')}`.replace(/\/$/, '') || '/');
    }
  };
  walk(pagesDir);
  return out.sort();
}

/** Every page and endpoint outside /admin. */
export function publicRoutes(): string[] {
  return pageRoutes({ endpoints: true }).filter((r) => !r.startsWith('/admin'));
}
