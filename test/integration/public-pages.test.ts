// The built server over HTTP with a fixture content directory: what a reader sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;

const text = async (path: string): Promise<string> => {
  const r = await server.get(path);
  return r.text();
};

beforeAll(async () => {
  fixture = createFixture(now);
  server = await startServer({ contentDir: fixture.dir });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

describe('front page', () => {
  it('shows the overall banner, the open incident with its timeline, and upcoming maintenance', async () => {
    const r = await server.get('/');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Partial System Outage');
    expect(html).toContain('Elevated API error rates');
    expect(html).toContain('<strong>bad deploy</strong>');
    expect(html.indexOf('Identified')).toBeLessThan(html.indexOf('We are investigating reports of elevated API error rates'));
    expect(html).toContain('Database upgrade');
    expect(html).toMatch(/Public API[\s\S]*?status-partial_outage">Partial outage/);
    expect(html).toMatch(/Documentation[\s\S]*?status-operational">Operational/);
  });

  it('shows 90 days of uptime bars with text for each day, and the uptime formula', async () => {
    const html = await text('/');
    const bars = html.match(/<ol class="bars"[\s\S]*?<\/ol>/g) ?? [];
    expect(bars).toHaveLength(3);
    for (const b of bars) expect(b.match(/<li /g)).toHaveLength(90);
    expect(html).toMatch(/<\/span>Major outage<span class="tip-duration">\d+ (h|min)/);
    expect(html).toContain('<a href="/incidents/old-dashboard-outage">Dashboard unavailable</a>');
    expect(html).toContain('How uptime is computed');
  });

  it('lists the last 7 days, quiet days included', async () => {
    const html = await text('/');
    const days = html.match(/<li class="day[ "]/g) ?? [];
    expect(days).toHaveLength(7);
    expect(html).toContain('No incidents reported.');
    expect(html).toContain('Dashboard unavailable');
    expect(html).toContain('href="/history"');
    expect(html).toContain('href="/postmortems"');
  });

  it('sends security headers', async () => {
    const r = await server.get('/');
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBeTruthy();
    const css = (await text('/')).match(/href="(\/_astro\/[^"]+\.css)"/)?.[1];
    expect(css).toBeTruthy();
    const cssResponse = await server.get(css!);
    expect(cssResponse.status).toBe(200);
    expect(cssResponse.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('incident, post-mortem, maintenance and history pages', () => {
  it('shows an incident with impact, components, duration, timeline and its post-mortem', async () => {
    const html = await text('/incidents/old-dashboard-outage');
    expect(html).toContain('<h1 class="page-title" id="incident-title">Dashboard unavailable</h1>');
    expect(html).toContain('Critical impact');
    expect(html).toContain('Dashboard: <span class="status status-major_outage">Major outage</span>');
    expect(html).toContain('2 h');
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">/);
    expect(html).toContain('href="/postmortems/old-dashboard-outage"');
    expect(html).toContain('Root cause was an expired certificate.');
  });

  it('answers 404 for unknown ids, and 400/404 for bad history pages, never 500', async () => {
    for (const p of ['/incidents/nope', '/postmortems/nope', '/maintenance/nope', '/no-such-page']) {
      const r = await server.get(p);
      expect(r.status, p).toBe(404);
      expect(await r.text()).toContain('Not found');
    }
    expect((await server.get('/history?page=abc')).status).toBe(400);
    expect((await server.get('/history?page=0')).status).toBe(400);
    expect((await server.get('/history?page=-1')).status).toBe(400);
    expect((await server.get('/history/page/99')).status).toBe(404);
    expect((await server.get('/history/page/abc')).status).toBe(404);
    expect((await server.get('/history')).status).toBe(200);
  });

  it('pages the history by path: ?page=N answers a permanent redirect to /history/page/N, page 1 to /history', async () => {
    for (const [from, to] of [['/history?page=1', '/history'], ['/history?page=2', '/history/page/2'], ['/history?page=99', '/history/page/99'], ['/history/page/1', '/history']]) {
      const r = await server.get(from!);
      expect(r.status, from).toBe(301);
      expect(r.headers.get('location'), from).toBe(to);
    }
  });

  it('publishes post-mortems and hides drafts', async () => {
    fixture.write('postmortems/draft.md', `---\nincident: open-api-errors\ntitle: Draft analysis\n---\nNot ready.\n`);
    await eventually(async () => {
      expect(server.output()).not.toContain('postmortems/draft.md');
      const list = await text('/postmortems');
      expect(list).toContain('Dashboard outage post-mortem');
      expect((await server.get('/postmortems/draft')).status).toBe(404);
    });
    expect(await text('/postmortems')).not.toContain('Draft analysis');
    const pm = await text('/postmortems/old-dashboard-outage');
    expect(pm).toContain('Dashboard outage post-mortem');
    expect(pm).toContain('P0');
  });

  it('shows a maintenance page', async () => {
    const html = await text('/maintenance/db-upgrade');
    expect(html).toContain('Database upgrade');
    expect(html).toContain('Scheduled');
    expect(html).toContain('Public API');
  });

  it('pages the history 25 at a time, grouped by month, newest first', async () => {
    for (let i = 0; i < 30; i++) {
      const start = now - (100 + i * 24) * HOUR;
      fixture.write(`incidents/bulk-${String(i).padStart(2, '0')}.md`, `---
title: Bulk incident ${i}
severity: P3
detected: ${iso(start)}
updates:
  - { at: ${iso(start)}, status: investigating, message: Looking }
  - { at: ${iso(start + 30 * MINUTE)}, status: resolved, message: Fixed }
---
`);
    }
    await eventually(async () => expect(await text('/history/page/2')).toContain('Bulk incident 29'));
    const first = await text('/history');
    expect(first).toContain('32 incidents');
    expect(first).toContain('Page 1 of 2');
    expect((first.match(/class="history-item"/g) ?? []).length).toBe(25);
    expect(first.indexOf('Elevated API error rates')).toBeLessThan(first.indexOf('Bulk incident 0'));
    expect(first).toContain('href="/history/page/2"');
    const second = await text('/history/page/2');
    expect(second).toContain('rel="prev" href="/history"');
    expect((second.match(/class="history-item"/g) ?? []).length).toBe(7);
    expect(second).toMatch(/<h2 id="m-\d{4}-\d\d">[A-Z][a-z]+ \d{4}<\/h2>/);
  });
});

describe('content changes while running', () => {
  it('shows an edited, a new and a deleted file while running, without restart (watched, with a 1 s poll behind)', async () => {
    fixture.write('incidents/new-docs.md', `---
title: Docs search is slow
severity: P3
components: { docs: degraded_performance }
updates:
  - { at: ${iso(now - 5 * MINUTE)}, status: investigating, message: We are investigating slow search. }
---
`);
    await eventually(async () => expect(await text('/')).toContain('Docs search is slow'), 15_000);
    fixture.write('incidents/new-docs.md', `---
title: Docs search is slow again
severity: P3
components: { docs: degraded_performance }
updates:
  - { at: ${iso(now - 5 * MINUTE)}, status: resolved, message: Fixed. }
---
`);
    await eventually(async () => expect(await text('/incidents/new-docs')).toContain('Docs search is slow again'), 15_000);
    fixture.remove('incidents/new-docs.md');
    await eventually(async () => expect((await server.get('/incidents/new-docs')).status).toBe(404), 15_000);
  });

  it('keeps serving when a file breaks, keeps its last good version, and logs the problem once', async () => {
    fixture.write('incidents/open-api-errors.md', '---\ntitle: [unclosed\nseverity: P9\n---\n');
    fixture.write('incidents/broken-new.md', '---\ntitle: Broken\nseverity: P1\ncomponents: { nope: major_outage }\nupdates:\n  - { at: 2026-11-20T10:00:00, status: investigating, message: x }\n---\n');
    await eventually(async () => {
      expect(server.output()).toContain('incidents/broken-new.md');
      expect(server.output()).toContain('incidents/open-api-errors.md');
    });
    const home = await server.get('/');
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('Elevated API error rates');
    expect(html).not.toContain('>Broken<');
    expect((await server.get('/incidents/old-dashboard-outage')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const mentions = server.output().split('\n').filter((l) => l.includes('incidents/broken-new.md') && l.includes('updates.0.at'));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toContain('offset');
  });

  it('never lets markup from a content file execute', async () => {
    fixture.write('incidents/xss.md', `---
title: "<script>alert(1)</script>Injected"
severity: P3
updates:
  - at: ${iso(now - 2 * MINUTE)}
    status: investigating
    message: |
      <img src=x onerror="alert(1)"> [click](javascript:alert(2)) <script>alert(3)</script>
---
<iframe src="https://evil.test"></iframe><a href="javascript:alert(4)">x</a>
`);
    await eventually(async () => expect((await server.get('/incidents/xss')).status).toBe(200));
    for (const p of ['/', '/incidents/xss', '/history']) {
      const html = await text(p);
      expect(html).not.toMatch(/<script>alert/);
      expect(html).not.toMatch(/onerror=/i);
      expect(html).not.toMatch(/javascript:/i);
      expect(html).not.toContain('<iframe');
    }
    expect(await text('/incidents/xss')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;Injected');
  });
});
