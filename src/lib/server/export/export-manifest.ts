// The copy's description of itself: export-manifest.json for push targets and tests, _headers and _redirects
// for static hosts (Netlify, Cloudflare Pages). No I/O.

export const MANIFEST_FILE = 'export-manifest.json';

/** Response headers a static host should send as the live site does. */
export const KEPT_HEADERS = [
  'content-type', 'cache-control', 'content-security-policy', 'x-frame-options', 'permissions-policy',
  'x-content-type-options', 'referrer-policy', 'access-control-allow-origin', 'access-control-expose-headers',
] as const;

/** Sent with every live response, static files included (src/cli/start.ts). */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

export interface ManifestFile {
  /** The live path it answers, or null for files meant for the host (_headers, _redirects). */
  path: string | null;
  sha256: string;
  bytes: number;
  /** Index into headerSets. */
  headers: number;
}

export interface ExportStats {
  version: number;
  startedAt: string;
  durationMs: number;
  files: number;
  bytes: number;
  /** Files whose content changed or appeared: written anew (the rest are hard links to the previous copy). */
  written: number;
  removed: number;
  /** Documents rendered, and documents whose unchanged inputs let the previous copy stand. */
  rendered: number;
  reused: number;
}

export interface ExportManifest {
  format: 1;
  liveOrigin: string;
  /** The data version the copy was taken at. */
  dataVersion: string | null;
  stats: ExportStats;
  headerSets: Record<string, string>[];
  files: Record<string, ManifestFile>;
}

/** The headers to keep from a live response, names lower-cased. */
export function keptHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const v = headers[name];
    if (v !== undefined && v !== '') out[name] = v;
  }
  return out;
}

/** The live page's CSP, letting the copy's subscribe form post to (and probe) the live origin. */
export function mirrorCsp(csp: string, liveOrigin: string): string {
  const extend = ['form-action', 'img-src'];
  const seen = new Set<string>();
  const parts = csp.split(';').map((p) => p.trim()).filter(Boolean).map((p) => {
    const [name = '', ...values] = p.split(/\s+/);
    if (!extend.includes(name.toLowerCase())) return p;
    seen.add(name.toLowerCase());
    return values.includes(liveOrigin) ? p : [name, ...values.filter((v) => v !== "'none'"), liveOrigin].join(' ');
  });
  for (const name of extend) if (!seen.has(name)) parts.push(`${name} 'self' ${liveOrigin}`);
  return parts.join('; ');
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8', svg: 'image/svg+xml', txt: 'text/plain; charset=utf-8', png: 'image/png',
  ico: 'image/x-icon', webp: 'image/webp', woff2: 'font/woff2', xml: 'application/xml', webmanifest: 'application/manifest+json',
};

/** Headers of a file copied from Astro's client build, as the live server sends them. */
export function assetHeaders(file: string): Record<string, string> {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase() ?? '';
  return {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'cache-control': file.startsWith('_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0',
    ...BASE_HEADERS,
  };
}

/** A rule pattern for paths that come in families, so _headers stays well under Cloudflare's 100 rules. */
export function headerPattern(path: string): string {
  const families: [RegExp, string][] = [
    [/^\/history\/page\/[^/]+$/, '/history/page/*'],
    [/^\/(incidents|maintenance|postmortems)\/[^/]+$/, '/$1/*'],
    [/^\/api\/v1\/(incidents|components)\/[^/]+\.json$/, '/api/v1/$1/*'],
    [/^\/components\/[^/]+\/(badge\.svg|history\.atom|history\.rss)$/, '/components/:id/$1'],
    [/^\/_astro\/.+$/, '/_astro/*'],
  ];
  for (const [re, pattern] of families) if (re.test(path)) return path.replace(re, pattern);
  return path;
}

const headerName = (h: string): string => h.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());

/**
 * The _headers file (Netlify and Cloudflare Pages): headers every file shares under /*, then one rule per family
 * of paths (or per path where a family's headers differ). Rules never repeat a header another matching rule sets,
 * because both hosts join repeated headers with commas.
 */
export function headersFile(files: Record<string, ManifestFile>, headerSets: Record<string, string>[]): string {
  const served = Object.values(files).filter((f): f is ManifestFile & { path: string } => f.path !== null);
  if (served.length === 0) return '';
  const used = [...new Set(served.map((f) => f.headers))].map((i) => headerSets[i] ?? {});
  const common: Record<string, string> = {};
  for (const [k, v] of Object.entries(used[0]!)) if (used.every((s) => s[k] === v)) common[k] = v;
  const keyed = new Map<number, string>();
  const specific = (index: number): string => {
    let key = keyed.get(index);
    if (key === undefined) keyed.set(index, (key = JSON.stringify(Object.entries(headerSets[index] ?? {}).filter(([k]) => !(k in common)).sort())));
    return key;
  };
  const families = new Map<string, { paths: string[]; sets: Set<string> }>();
  for (const f of served) {
    const pattern = headerPattern(f.path);
    const family = families.get(pattern) ?? { paths: [], sets: new Set<string>() };
    family.paths.push(f.path);
    family.sets.add(specific(f.headers));
    families.set(pattern, family);
  }
  const setOf = new Map(served.map((f) => [f.path, specific(f.headers)]));
  const rule = (pattern: string, entries: [string, string][]): string =>
    entries.length === 0 ? '' : `${pattern}\n${entries.map(([k, v]) => `  ${headerName(k)}: ${v}`).join('\n')}\n`;
  let out = '# Written by Kaizen Status with every export: the headers the live site sends.\n';
  out += rule('/*', Object.entries(common));
  for (const [pattern, family] of families) {
    if (family.sets.size === 1) out += rule(pattern, JSON.parse([...family.sets][0]!) as [string, string][]);
    else for (const p of family.paths) out += rule(p, JSON.parse(setOf.get(p)!) as [string, string][]);
  }
  return out;
}

/**
 * _redirects (Netlify and Cloudflare Pages): what the live site redirects that a path rule can express. The live
 * /history?page=N redirects are left out: Cloudflare Pages cannot match query strings, and Netlify passes the
 * query on to the target, which would loop for page 1. Pages never link to ?page= themselves.
 */
export function redirectsFile(): string {
  return '# Written by Kaizen Status. History pages are paths: /history, /history/page/2 …\n/history/page/1 /history 301\n';
}
