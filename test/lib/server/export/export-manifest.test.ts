// The manifest's host files: _headers grouped by families of paths without repeated headers, the mirror CSP, asset headers.
import { describe, expect, it } from 'vitest';
import { assetHeaders, headerPattern, headersFile, keptHeaders, mirrorCsp, redirectsFile, type ManifestFile } from '../../../../src/lib/server/export/export-manifest.ts';

const page = { 'content-type': 'text/html', 'cache-control': 'public, s-maxage=10', 'content-security-policy': "default-src 'self'", 'x-content-type-options': 'nosniff' };
const json = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, s-maxage=10', 'access-control-allow-origin': '*', 'x-content-type-options': 'nosniff' };
const form = { ...page, 'content-security-policy': "default-src 'self'; form-action 'self' https://live.test" };

function file(path: string | null, headers: number): ManifestFile {
  return { path, sha256: 'x', bytes: 1, headers };
}

/** Parses _headers into rules of [pattern, headers]. */
function parse(text: string): [string, Record<string, string>][] {
  const rules: [string, Record<string, string>][] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) rules.push([line, {}]);
    else {
      const [k, ...v] = line.trim().split(': ');
      rules.at(-1)![1][k!.toLowerCase()] = v.join(': ');
    }
  }
  return rules;
}

describe('headersFile', () => {
  const sets = [page, json, form];
  const files: Record<string, ManifestFile> = {
    'index.html': file('/', 2),
    'history.html': file('/history', 0),
    'history/page/2.html': file('/history/page/2', 0),
    'incidents/a.html': file('/incidents/a', 0),
    'incidents/b.html': file('/incidents/b', 0),
    'api/v2/summary.json': file('/api/v2/summary.json', 1),
    'api/v1/incidents/a.json': file('/api/v1/incidents/a.json', 1),
    'components/api/badge.svg': file('/components/api/badge.svg', 1),
    '_headers': file(null, 0),
  };
  const rules = parse(headersFile(files, sets));

  it('puts shared headers under /* and one rule per family of paths', () => {
    expect(rules[0]).toEqual(['/*', { 'x-content-type-options': 'nosniff', 'cache-control': 'public, s-maxage=10' }]);
    const patterns = rules.map(([p]) => p);
    expect(patterns).toEqual(['/*', '/', '/history', '/history/page/*', '/incidents/*', '/api/v2/summary.json', '/api/v1/incidents/*', '/components/:id/badge.svg']);
    expect(Object.fromEntries(rules)['/']!['content-security-policy']).toContain('https://live.test');
    expect(Object.fromEntries(rules)['/api/v1/incidents/*']).toEqual({ 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
  });

  it('never sets one header in two rules that match one path (hosts would join them with commas)', () => {
    for (const [pattern, headers] of rules.slice(1)) for (const k of Object.keys(headers)) expect(rules[0]![1][k], `${pattern} ${k}`).toBeUndefined();
  });

  it('falls back to one rule per path where a family differs', () => {
    const mixed = parse(headersFile({ 'incidents/a.html': file('/incidents/a', 0), 'incidents/b.html': file('/incidents/b', 2) }, sets));
    expect(mixed.map(([p]) => p)).toEqual(['/*', '/incidents/a', '/incidents/b']);
  });
});

describe('headerPattern', () => {
  it.each([
    ['/incidents/x', '/incidents/*'], ['/maintenance/x', '/maintenance/*'], ['/postmortems/x', '/postmortems/*'], ['/postmortems', '/postmortems'],
    ['/history/page/9', '/history/page/*'], ['/api/v1/components/api.json', '/api/v1/components/*'], ['/components/api/history.atom', '/components/:id/history.atom'],
    ['/_astro/global.abc.css', '/_astro/*'], ['/', '/'],
  ])('%s → %s', (p, pattern) => expect(headerPattern(p)).toBe(pattern));
});

describe('mirrorCsp', () => {
  it('adds the live origin to form-action and img-src, once', () => {
    const csp = "default-src 'self';img-src 'self' data: https:;form-action 'self';frame-ancestors 'none'";
    const out = mirrorCsp(csp, 'http://live.test:8080');
    expect(out).toBe("default-src 'self'; img-src 'self' data: https: http://live.test:8080; form-action 'self' http://live.test:8080; frame-ancestors 'none'");
    expect(mirrorCsp(out, 'http://live.test:8080')).toBe(out);
  });

  it('adds the directives when the policy has none, and drops none', () => {
    expect(mirrorCsp("default-src 'self'; form-action 'none'", 'https://live.test')).toBe("default-src 'self'; form-action https://live.test; img-src 'self' https://live.test");
  });
});

describe('asset and kept headers', () => {
  it('serves hashed assets as immutable and others revalidated', () => {
    expect(assetHeaders('_astro/global.abc.css')).toMatchObject({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
    expect(assetHeaders('favicon.svg')).toMatchObject({ 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=0' });
    expect(assetHeaders('odd.bin')['content-type']).toBe('application/octet-stream');
  });

  it('keeps only headers a static host should send', () => {
    expect(keptHeaders({ 'content-type': 'text/html', etag: '"x"', date: 'now', 'set-cookie': 'a=b', 'x-frame-options': 'DENY' })).toEqual({ 'content-type': 'text/html', 'x-frame-options': 'DENY' });
  });

  it('redirects /history/page/1 to /history', () => {
    expect(redirectsFile()).toContain('/history/page/1 /history 301');
  });
});
