// History filtered by component and month on the real server: the form works without JavaScript (a GET), paging
// keeps the filter, bad values answer 400 with a message, and the response cache keys on the filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;

/** An incident on `component` in a fixed past month (the month filter reads the site's zone, UTC here). */
function incident(id: string, title: string, component: string, start: number, severity = 'P3'): void {
  fixture.write(`incidents/${id}.md`, `---
title: ${title}
severity: ${severity}
components:
  ${component}: partial_outage
detected: ${iso(start)}
updates:
  - { at: ${iso(start)}, status: investigating, message: Looking }
  - { at: ${iso(start + 30 * MINUTE)}, status: resolved, message: Fixed }
---
`);
}

beforeAll(async () => {
  fixture = createFixture(now);
  // 30 documentation incidents in March 2025 (two pages of them), one API incident in April 2025.
  for (let i = 0; i < 30; i++) incident(`docs-${String(i).padStart(2, '0')}`, `Docs incident ${i}`, 'docs', Date.UTC(2025, 2, 1 + (i % 28), 10) + i * MINUTE);
  incident('api-april', 'API incident in April', 'api', Date.UTC(2025, 3, 10, 8), 'P1');
  server = await startServer({ contentDir: fixture.dir });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

async function page(path: string, status = 200): Promise<string> {
  const r = await server.get(path);
  expect(r.status, path).toBe(status);
  return r.text();
}

const titles = (html: string): string[] => [...html.matchAll(/<h3><a href="\/incidents\/[^"]+">([^<]+)<\/a><\/h3>/g)].map((m) => m[1]!);

describe('history filters', () => {
  it('offers a GET form with a select for components (groups and members) and for months, newest first', async () => {
    const html = await page('/history');
    expect(html).toMatch(/<form class="history-filter" method="get" action="\/history"/);
    expect(html).toContain('<option value="api">Public API</option>');
    expect(html).toContain('<option value="core">All of Core</option>');
    expect(html).toContain('<option value="docs">Documentation</option>');
    const months = [...html.matchAll(/<option value="(\d{4}-\d{2})"/g)].map((m) => m[1]!);
    expect(months[0]).toBe(new Date(now).toISOString().slice(0, 7));
    expect(months).toContain('2025-04');
    expect(months.at(-1)).toBe('2025-03');
    expect(months).toEqual([...months].sort().reverse());
  });

  it('narrows by component, by group and by month, and says when nothing matches', async () => {
    const api = titles(await page('/history?component=api'));
    expect(api).toEqual(['Elevated API error rates', 'API incident in April']);
    const core = titles(await page('/history?component=core'));
    expect(core).toEqual(['Elevated API error rates', 'Dashboard unavailable', 'API incident in April']);
    const april = titles(await page('/history?month=2025-04'));
    expect(april).toEqual(['API incident in April']);
    expect(titles(await page('/history?component=api&month=2025-04'))).toEqual(['API incident in April']);
    const none = await page('/history?component=dashboard&month=2025-04');
    expect(titles(none)).toEqual([]);
    expect(none).toContain('No incidents match this filter.');
    // The form shows the filter it applied.
    const html = await page('/history?component=api&month=2025-04');
    expect(html).toContain('<option value="api" selected>Public API</option>');
    expect(html).toContain('<option value="2025-04" selected>April 2025</option>');
    expect(html).toContain('<a href="/history">Clear filter</a>');
  });

  it('shows each entry’s impact by colour and by word', async () => {
    const html = await page('/history?component=api&month=2025-04');
    // P1 is major impact: the pill's class gives the colour (global.css), its text the word.
    expect(html).toContain('<span class="pill pill-impact-major">Major impact</span>');
    expect(await page('/history?component=docs')).toContain('<span class="pill pill-impact-none">No impact</span>');
  });

  it('pages a filtered list and keeps the filter in the links, by path', async () => {
    const first = await page('/history?component=docs');
    expect(titles(first)).toHaveLength(25);
    expect(first).toContain('30 incidents, newest first. Page 1 of 2.');
    expect(first).toContain('href="/history/page/2?component=docs"');
    const second = await page('/history/page/2?component=docs');
    expect(titles(second)).toHaveLength(5);
    expect(titles(second).every((t) => t.startsWith('Docs incident'))).toBe(true);
    expect(second).toContain('href="/history?component=docs"');
    // ?page= redirects keep the filter; page 1 by path is /history with it.
    let r = await server.get('/history?page=2&component=docs&junk=1');
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('/history/page/2?component=docs');
    r = await server.get('/history/page/1?month=2025-03');
    expect(r.headers.get('location')).toBe('/history?month=2025-03');
    // A page past the end of the filtered list is a 404.
    await page('/history/page/2?component=api', 404);
    // The unfiltered archive still pages by path (the static copy relies on it).
    expect(await page('/history')).toContain('href="/history/page/2"');
  });

  it('answers an unknown component or a malformed month with a clear 400, never a 500', async () => {
    const unknown = await page('/history?component=nope', 400);
    expect(unknown).toContain('There is no component “nope” on this page.');
    for (const month of ['2025-13', '2025-3', 'March', '2025-03-01', '<script>']) {
      const html = await page(`/history?month=${encodeURIComponent(month)}`, 400);
      expect(html).toContain('The month must be written YYYY-MM');
      expect(html).not.toContain('<script>');
    }
    await page('/history/page/2?component=nope', 400);
    await page('/history/page/2?month=bad', 400);
  });

  it('keys the response cache on the filter: each filter its own entry, other parameters ignored', async () => {
    for (const path of ['/history?component=api', '/history?component=docs', '/history']) await page(path);
    const hit = async (path: string): Promise<{ cache: string | null; titles: string[] }> => {
      const r = await server.get(path);
      return { cache: r.headers.get('x-cache'), titles: titles(await r.text()) };
    };
    await eventually(async () => {
      const api = await hit('/history?component=api&utm=x');
      expect(api.cache).toBe('hit');
      expect(api.titles).toEqual(['Elevated API error rates', 'API incident in April']);
    });
    const docs = await hit('/history?component=docs');
    expect(docs.titles).toHaveLength(25);
    expect(docs.titles.every((t) => t.startsWith('Docs incident'))).toBe(true);
    expect((await hit('/history')).titles).toContain('Dashboard unavailable');
  });
});
