// Every page has its own route pattern, so request metrics never fall back to raw paths or lump pages together.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routePattern, routePatterns } from '../../../../src/lib/server/metrics/route-pattern.ts';

const pagesDir = path.resolve(import.meta.dirname, '../../../../src/pages');

/** src/pages/incidents/[id].astro → /incidents/:id; [...path] → *; index → the folder. */
function patternOfFile(file: string): string {
  const route = file.replace(/\.(astro|ts)$/, '').replace(/\/index$|^index$/, '').replace(/\[\.\.\.[a-z]+\]/g, '*').replace(/\[([a-z_]+)\]/g, ':$1');
  return `/${route}`;
}

describe('routePattern', () => {
  const files = (fs.readdirSync(pagesDir, { recursive: true }) as string[]).filter((f) => /\.(astro|ts)$/.test(f)).map((f) => f.split(path.sep).join('/'));

  it.each(files)('src/pages/%s is listed', (file) => {
    expect(routePatterns).toContain(patternOfFile(file));
  });

  it.each([
    ['/', '/'], ['/incidents/api-errors', '/incidents/:id'], ['/incidents/api-errors/', '/incidents/:id'],
    ['/admin/incidents/new', '/admin/incidents/new'], ['/admin/incidents/01J9', '/admin/incidents/:id'],
    ['/api/v1/components/api.json', '/api/v1/components/:id.json'], ['/api/v9/anything/else', '/api/*'], ['/api/v1/pages/4kq1x0c9m2ab/incidents/x.json', '/api/v1/pages/:page_id/*'],
    ['/_astro/page.abc123.css', 'static'], ['/favicon.svg', 'static'], ['/wp-login.php', 'other'], ['/a/b/c/d', 'other'],
    // A page in another language counts with its route.
    ['/de/', '/'], ['/de', '/'], ['/de/incidents/api-errors', '/incidents/:id'], ['/ja/history/page/2', '/history/page/:n'], ['/de/api/v1/uptime.json', 'other'],
  ])('%s → %s', (pathname, pattern) => {
    expect(routePattern(pathname)).toBe(pattern);
  });
});
