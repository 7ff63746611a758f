// 3,000 seeded hostile messages in content files, served by the real server: every page that shows them answers
// 200, and no payload comes out as markup (no script, no event handler, no javascript: link).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, iso, HOUR, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { fuzzMessage, MARKER, seededRandom } from '../fixtures/markdown-fuzz.ts';

const SEED = 20261201;
const INCIDENTS = 60;
const UPDATES = 50;
const now = Date.now();
let fixture: Fixture;
let server: RunningServer;
const ids: string[] = [];

beforeAll(async () => {
  fixture = createFixture(now);
  const random = seededRandom(SEED);
  for (let i = 0; i < INCIDENTS; i++) {
    const id = `fuzz-${String(i).padStart(3, '0')}`;
    ids.push(id);
    const start = now - (i + 1) * 30 * HOUR;
    // JSON strings are YAML double-quoted strings: control characters and lone surrogates arrive as escapes.
    const updates = Array.from({ length: UPDATES }, (_, u) => [
      `  - at: ${iso(start + u * MINUTE)}`,
      `    status: ${u === UPDATES - 1 ? 'resolved' : 'investigating'}`,
      `    message: ${JSON.stringify(fuzzMessage(random))}`,
    ].join('\n'));
    fixture.write(`incidents/${id}.md`, [
      '---', `title: Fuzz incident ${i}`, 'severity: P3', 'components:', '  api: degraded_performance',
      `detected: ${iso(start)}`, 'updates:', ...updates, '---', fuzzMessage(random), '',
    ].join('\n'));
  }
  server = await startServer({ contentDir: fixture.dir });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

const dangerousTags = /^(script|iframe|object|embed|svg|math|style|form|base|meta|link)$/i;

/**
 * Where a payload would act: a script element carrying the marker, an unexpected dangerous element, an event
 * handler attribute, or a javascript:/data:/vbscript: address. The site's own scripts carry no marker.
 */
function executable(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) if (m[1]!.includes(MARKER)) found.push(m[0].slice(0, 200));
  for (const m of html.matchAll(/<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const [tag, name, attrs] = [m[0], m[1]!, m[2]!];
    // The site's pages have their own scripts, forms and links, never these; any of those with the marker is a payload.
    if (/^(iframe|object|embed|math|base)$/i.test(name) || (dangerousTags.test(name) && tag.includes(MARKER))) found.push(tag.slice(0, 200));
    for (const a of attrs.matchAll(/([^\s=/"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const attr = a[1]!.toLowerCase();
      const value = (a[2] ?? '').replace(/^["']|["']$/g, '').replace(/&#x?0*(6a|106);/gi, 'j').replace(/&colon;|&#x?0*(3a|58);/gi, ':').trim().toLowerCase();
      if (attr.startsWith('on')) found.push(tag.slice(0, 200));
      if (/^(href|src|xlink:href|action|formaction|srcset|style)$/.test(attr) && /^(javascript|data|vbscript):|url\(|expression\(/.test(value)) found.push(tag.slice(0, 200));
    }
  }
  return found;
}

/** The HTML inside an Atom or RSS document, unescaped once, as a feed reader would see it. */
const unescapeXml = (xml: string): string => xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');

describe('the payload check', () => {
  it('finds payloads that got through as markup, and not the same text escaped', () => {
    for (const raw of [`<img src=x onerror=${MARKER}()>`, `<script>${MARKER}()</script>`, '<a href="javascript:x()">a</a>', '<a href=" &#x6A;avascript:x()">a</a>', '<iframe src="https://x">', `<svg onload=${MARKER}()>`]) {
      expect(executable(`<p>${raw}</p>`), raw).not.toEqual([]);
    }
    expect(executable(`<p>&lt;img src=x onerror=${MARKER}()&gt;</p><pre class="markdown-plain">&lt;script&gt;${MARKER}()&lt;/script&gt;</pre>`)).toEqual([]);
    expect(executable('<a href="https://example.com/?q=javascript:x" rel="nofollow">a</a><script type="module">run()</script>')).toEqual([]);
  });
});

describe('3,000 hostile messages', () => {
  it('are all loaded from the content files', async () => {
    const r = await server.get('/readyz');
    const body = await r.text();
    expect(body, body).toMatch(new RegExp(`"incidents":\\s*${INCIDENTS + 2}\\b`));
    expect(body).toMatch(/"problems":\s*0\b/);
  });

  it('leave every page that shows them answering 200, with no payload as markup', async () => {
    const history = await (await server.get('/history')).text();
    const lastPage = Math.max(1, ...[...history.matchAll(/href="\/history\/page\/(\d+)"/g)].map((m) => Number(m[1])));
    expect(lastPage).toBeGreaterThanOrEqual(2);
    const htmlPages = ['/', '/history', ...Array.from({ length: lastPage - 1 }, (_, i) => `/history/page/${i + 2}`), ...ids.map((id) => `/incidents/${id}`)];
    const feeds = ['/history.atom', '/history.rss', '/components/api/history.atom', '/components/api/history.rss'];
    const api = ['/api/v2/summary.json', '/api/v2/incidents.json', '/api/v2/incidents/unresolved.json', '/api/v1/incidents.json?limit=500', ...ids.slice(0, 10).map((id) => `/api/v1/incidents/${id}.json`)];
    const failures: string[] = [];
    let checkMs = 0;
    const check = async (p: string, kind: 'html' | 'feed' | 'json'): Promise<void> => {
      const r = await server.get(p);
      const body = await r.text();
      if (r.status !== 200) return void failures.push(`${p}: ${r.status}`);
      if (kind === 'json') {
        try { JSON.parse(body); } catch { failures.push(`${p}: not JSON`); }
        return;
      }
      const t = Date.now();
      for (const bad of executable(kind === 'feed' ? unescapeXml(body) : body)) failures.push(`${p}: ${bad}`);
      checkMs += Date.now() - t;
    };
    // A few at a time: the pages render thousands of messages between them.
    const all = [...htmlPages.map((p) => [p, 'html'] as const), ...feeds.map((p) => [p, 'feed'] as const), ...api.map((p) => [p, 'json'] as const)];
    const t0 = Date.now();
    for (let i = 0; i < all.length; i += 4) await Promise.all(all.slice(i, i + 4).map(([p, k]) => check(p, k)));
    console.log(`checked ${all.length} responses in ${Date.now() - t0} ms (${checkMs} ms of it in the check)`);
    expect(failures).toEqual([]);
    // The fuzz did reach the pages: its text shows, escaped or rendered.
    const one = await (await server.get(`/incidents/${ids[0]}`)).text();
    expect(one).toContain('Fuzz incident 0');
  }, 120_000);
});
