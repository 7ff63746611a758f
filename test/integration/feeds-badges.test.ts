// Atom and RSS history feeds and SVG status badges over HTTP, read back with a real feed parser and XML parser.
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, HOUR, iso, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;

const base = 'https://status.acme.test';
const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

beforeAll(async () => {
  fixture = createFixture(now);
  fixture.write('components.yaml', `
- id: core
  name: Core
  components:
    - { id: api, name: Public API, description: REST endpoints }
    - { id: dashboard, name: Dashboard }
- { id: docs, name: Documentation }
- { id: edge, name: "Edge <CDN> & \\"Co\\"" }
`);
  fixture.write('maintenance/cache-migration.md', `---
title: Documentation cache migration
components: [docs]
scheduled_start: ${iso(now - HOUR)}
scheduled_end: ${iso(now + HOUR)}
updates:
  - at: ${iso(now - HOUR)}
    status: in_progress
    message: The migration is under way.
---
Search may be slow.
`);
  fixture.write('incidents/edge-errors.md', `---
title: Edge errors & <timeouts>
severity: P3
components:
  edge: degraded_performance
updates:
  - at: ${iso(now - 3 * HOUR)}
    status: investigating
    message: "Looking into it ${XSS} \\u0001 [link](javascript:alert(3))"
  - at: ${iso(now - 2 * HOUR)}
    status: resolved
    message: Fixed.
---
`);
  server = await startServer({ contentDir: fixture.dir });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

const fetchText = async (path: string): Promise<{ status: number; headers: Headers; text: string }> => {
  const r = await server.get(path);
  return { status: r.status, headers: r.headers, text: await r.text() };
};

describe('Atom feed', () => {
  it('is valid XML with the feed-level elements RFC 4287 requires', async () => {
    const r = await fetchText('/history.atom');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(r.headers.get('etag')).toBeTruthy();
    expect(r.headers.get('cache-control')).toContain('max-age=0');
    expect(XMLValidator.validate(r.text)).toBe(true);
    const feed = parseAtomFeed(r.text);
    expect(feed.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(feed.title?.value).toBe('Acme Cloud status history');
    expect(feed.updated).toBeTruthy();
    expect(feed.authors?.[0]?.name).toBe('Acme Cloud');
    expect(feed.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${base}/history.atom` }));
    for (const e of feed.entries ?? []) {
      expect(e.id).toMatch(/^urn:uuid:/);
      expect(e.title?.value).toBeTruthy();
      expect(Number.isNaN(Date.parse(e.updated!))).toBe(false);
      expect(e.links?.find((l) => l.rel === 'alternate')?.href).toMatch(/^https:\/\/status\.acme\.test\//);
    }
    const ids = (feed.entries ?? []).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has one entry per incident update, maintenance notice and post-mortem, linking to their pages', async () => {
    const feed = parseAtomFeed((await fetchText('/history.atom')).text);
    const entries = feed.entries ?? [];
    const byTitle = (t: string) => entries.filter((e) => e.title?.value === t);
    const link = (e: (typeof entries)[number]): string | undefined => e.links?.find((l) => l.rel === 'alternate')?.href;
    const identified = byTitle('Elevated API error rates: Identified');
    expect(identified).toHaveLength(1);
    expect(link(identified[0]!)).toBe(`${base}/incidents/open-api-errors#update-2`);
    expect(identified[0]!.content?.value).toContain('<strong>bad deploy</strong>');
    expect(byTitle('Elevated API error rates: Investigating')).toHaveLength(1);
    expect(byTitle('Dashboard unavailable: Resolved')).toHaveLength(1);
    const pm = byTitle('Post-mortem: Dashboard outage post-mortem');
    expect(pm).toHaveLength(1);
    expect(link(pm[0]!)).toBe(`${base}/postmortems/old-dashboard-outage`);
    expect(pm[0]!.links).toContainEqual(expect.objectContaining({ rel: 'related', href: `${base}/incidents/old-dashboard-outage` }));
    expect(link(byTitle('Documentation cache migration: In progress')[0]!)).toBe(`${base}/maintenance/cache-migration#update-1`);
    expect(byTitle('Scheduled maintenance: Database upgrade')).toHaveLength(1);
    // Newest first among entries already published.
    const past = entries.filter((e) => Date.parse(e.updated!) <= Date.now()).map((e) => Date.parse(e.updated!));
    expect(past).toEqual([...past].sort((a, b) => b - a));
  });

  it('sanitizes message HTML and escapes titles', async () => {
    const { text } = await fetchText('/history.atom');
    const feed = parseAtomFeed(text);
    const entry = (feed.entries ?? []).find((e) => e.title?.value === 'Edge errors & <timeouts>: Investigating');
    expect(entry).toBeTruthy();
    const html = entry!.content!.value!;
    expect(html).toContain('Looking into it');
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
    expect(text).not.toContain('<script');
    expect(text).not.toContain('\u0001');
  });

  it('keeps entry ids stable from one request to the next', async () => {
    const a = parseAtomFeed((await fetchText('/history.atom')).text).entries!.map((e) => e.id);
    const b = parseAtomFeed((await fetchText('/history.atom')).text).entries!.map((e) => e.id);
    expect(b).toEqual(a);
  });
});

describe('RSS feed', () => {
  it('is valid RSS 2.0 with the same entries', async () => {
    const r = await fetchText('/history.rss');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(XMLValidator.validate(r.text)).toBe(true);
    expect(r.text).toContain('<rss version="2.0"');
    const feed = parseRssFeed(r.text);
    expect(feed.title).toBe('Acme Cloud status history');
    expect(feed.link).toBe(`${base}/`);
    expect(feed.description).toBeTruthy();
    const items = feed.items ?? [];
    for (const item of items) {
      expect(item.guid?.value).toMatch(/^urn:uuid:/);
      expect(item.guid?.isPermaLink).toBe(false);
      expect(item.pubDate).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
    }
    const identified = items.find((i) => i.title === 'Elevated API error rates: Identified');
    expect(identified?.link).toBe(`${base}/incidents/open-api-errors#update-2`);
    expect(identified?.description).toContain('<strong>bad deploy</strong>');
    expect(items.find((i) => i.title === 'Post-mortem: Dashboard outage post-mortem')?.link).toBe(`${base}/postmortems/old-dashboard-outage`);
    const atom = parseAtomFeed((await fetchText('/history.atom')).text);
    expect(items.map((i) => i.guid?.value)).toEqual(atom.entries!.map((e) => e.id));
  });
});

describe('per-component feeds', () => {
  it('only carry that component\'s entries', async () => {
    const dashboard = parseAtomFeed((await fetchText('/components/dashboard/history.atom')).text);
    const titles = (dashboard.entries ?? []).map((e) => e.title?.value);
    expect(titles).toEqual(expect.arrayContaining(['Dashboard unavailable: Resolved', 'Post-mortem: Dashboard outage post-mortem']));
    expect(titles.every((t) => /Dashboard/.test(t ?? ''))).toBe(true);
    expect(dashboard.title?.value).toBe('Acme Cloud status: Dashboard');
    const api = parseAtomFeed((await fetchText('/components/api/history.atom')).text);
    const apiTitles = (api.entries ?? []).map((e) => e.title?.value);
    expect(apiTitles).toEqual(expect.arrayContaining(['Elevated API error rates: Identified', 'Scheduled maintenance: Database upgrade']));
    expect(apiTitles.some((t) => /Dashboard|cache migration/.test(t ?? ''))).toBe(false);
    const group = parseAtomFeed((await fetchText('/components/core/history.atom')).text);
    const groupTitles = (group.entries ?? []).map((e) => e.title?.value);
    expect(groupTitles).toEqual(expect.arrayContaining(['Elevated API error rates: Identified', 'Dashboard unavailable: Resolved']));
    const rss = await fetchText('/components/docs/history.rss');
    expect(XMLValidator.validate(rss.text)).toBe(true);
    expect(parseRssFeed(rss.text).items?.map((i) => i.title)).toEqual(expect.arrayContaining(['Documentation cache migration: In progress']));
  });
});

describe('badges', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
  const texts = (svg: string): string[] => [...svg.matchAll(/<text x="[^"]+" y="14"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

  it('serves the overall badge as well-formed SVG with a title and the status text', async () => {
    const r = await fetchText('/badge.svg');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=30');
    expect(r.headers.get('etag')).toBeTruthy();
    expect(XMLValidator.validate(r.text)).toBe(true);
    const doc = parser.parse(r.text) as { svg: { '@xmlns': string; '@role': string; title: string } };
    expect(doc.svg['@xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(doc.svg['@role']).toBe('img');
    expect(doc.svg.title).toBe('Acme Cloud status: Partial System Outage');
    expect(texts(r.text)).toEqual(['status', 'partial system outage']);
    const again = await server.get('/badge.svg', { headers: { 'If-None-Match': r.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves per-component badges with their status, and escapes names', async () => {
    const docs = await fetchText('/components/docs/badge.svg');
    expect(XMLValidator.validate(docs.text)).toBe(true);
    expect(texts(docs.text)).toEqual(['Documentation', 'under maintenance']);
    expect(docs.text).toContain('<title>Documentation: Under maintenance</title>');
    const api = await fetchText('/components/api/badge.svg');
    expect(texts(api.text)).toEqual(['Public API', 'partial outage']);
    const group = await fetchText('/components/core/badge.svg');
    expect(texts(group.text)).toEqual(['Core', 'partial outage']);
    const edge = await fetchText('/components/edge/badge.svg');
    expect(XMLValidator.validate(edge.text)).toBe(true);
    const doc = parser.parse(edge.text) as { svg: { title: string } };
    expect(doc.svg.title).toBe('Edge <CDN> & "Co": Operational');
    expect(edge.text).not.toContain('<CDN>');
  });

});

describe('feed auto-discovery', () => {
  it('advertises both feeds in the page head', async () => {
    const html = (await fetchText('/')).text;
    expect(html).toMatch(/<link rel="alternate" type="application\/atom\+xml" title="[^"]*" href="\/history.atom"/);
    expect(html).toMatch(/<link rel="alternate" type="application\/rss\+xml" title="[^"]*" href="\/history.rss"/);
  });
});
