// Every public path a static copy holds and the file each is written to, derived from the read model (no I/O).
import type { StatusModel } from '../status-data/status-model.ts';
import { HISTORY_PAGE_SIZE, historyPagePath } from '../views/history.view.ts';
import { isLocale, localePath, siteLanguages, splitLocalePrefix } from '../../i18n/locales.ts';

/** Rendered for the copy's 404.html: the app answers any unknown path with the not-found page. */
export const NOT_FOUND_PATH = '/404';

/** Pages that carry the subscribe form: their copies' CSP must let it post to the live site. */
export const FORM_PAGES: ReadonlySet<string> = new Set(['/', '/subscribe']);

/** A page of FORM_PAGES in any language ('/de/subscribe' too). */
export function isFormPage(path: string): boolean {
  return FORM_PAGES.has(splitLocalePrefix(path)?.rest ?? path);
}

export interface ExportEntry {
  /** The live path (what readers request). */
  path: string;
  /** The file in the copy, relative, '/'-separated. */
  file: string;
}

const STATUSPAGE_DOCUMENTS = [
  '/api/v2/summary.json', '/api/v2/status.json', '/api/v2/components.json', '/api/v2/incidents.json',
  '/api/v2/incidents/unresolved.json', '/api/v2/scheduled-maintenances.json',
  '/api/v2/scheduled-maintenances/active.json', '/api/v2/scheduled-maintenances/upcoming.json',
];

/** A path segment that is safe as a file name: no separators, no dot-only names, nothing invisible. */
function safeSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !/[/\\\u0000-\u001f]/.test(segment);
}

/**
 * The file for a live path: '/' is index.html, a page '/x/y' is x/y.html, a document keeps its path
 * ('/api/v2/summary.json'). Percent-encoding is decoded, as static hosts do; null for a path that cannot be a file.
 */
export function fileForPath(path: string, kind: 'page' | 'document'): string | null {
  if (path === '/') return 'index.html';
  // A language's home page, '/de/', is that folder's index (static hosts serve it for '/de/' and '/de').
  const language = kind === 'page' ? /^\/([a-z]{2})\/$/.exec(path) : null;
  if (language && isLocale(language[1]!)) return `${language[1]}/index.html`;
  if (path === NOT_FOUND_PATH) return '404.html';
  if (!path.startsWith('/')) return null;
  let segments: string[];
  try {
    segments = path.slice(1).split('/').map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
  if (!segments.every(safeSegment)) return null;
  const file = segments.join('/');
  return kind === 'page' ? `${file}.html` : file;
}

const seg = (id: string): string => encodeURIComponent(id);

/** The live paths of every public page and document, in a stable order. */
export function publicPaths(model: StatusModel, now: number): { pages: string[]; documents: string[] } {
  const pageCount = Math.max(1, Math.ceil(model.incidents.length / HISTORY_PAGE_SIZE));
  const pages = ['/', '/history'];
  for (let n = 2; n <= pageCount; n++) pages.push(historyPagePath(n));
  pages.push('/postmortems');
  if (model.site.showReliability) pages.push('/reliability');
  pages.push('/subscribe');
  for (const i of model.incidents) pages.push(`/incidents/${seg(i.id)}`);
  for (const m of model.maintenance) pages.push(`/maintenance/${seg(m.id)}`);
  for (const p of model.postmortems) {
    if (p.publishedAt !== null && p.publishedAt <= now && model.incidentById.has(p.incidentId)) pages.push(`/postmortems/${seg(p.id)}`);
  }
  // Every other configured language: the same pages under its prefix (the documents have no language).
  const [first, ...others] = siteLanguages(model.site.languages);
  const localized = pages.flatMap((p) => others.map((l) => localePath(l, p, first)));
  pages.push(...localized, NOT_FOUND_PATH);

  const scopes = [...model.groups.map((g) => g.id), ...model.components.map((c) => c.id)];
  const documents = ['/history.atom', '/history.rss', '/badge.svg'];
  for (const id of scopes) documents.push(`/components/${seg(id)}/history.atom`, `/components/${seg(id)}/history.rss`, `/components/${seg(id)}/badge.svg`);
  documents.push(...STATUSPAGE_DOCUMENTS, '/api/v1/incidents.json', '/api/v1/postmortems.json', '/api/v1/uptime.json');
  for (const i of model.incidents) if (i.updates.length > 0) documents.push(`/api/v1/incidents/${seg(i.id)}.json`);
  for (const id of scopes) documents.push(`/api/v1/components/${seg(id)}.json`);
  return { pages: [...new Set(pages)], documents: [...new Set(documents)] };
}

/** Every entry of the copy with its file; paths that cannot be files are left out. */
export function exportEntries(model: StatusModel, now: number): ExportEntry[] {
  const { pages, documents } = publicPaths(model, now);
  const out: ExportEntry[] = [];
  const files = new Set<string>();
  const add = (path: string, kind: 'page' | 'document'): void => {
    const file = fileForPath(path, kind);
    if (file === null || files.has(file)) return;
    files.add(file);
    out.push({ path, file });
  };
  for (const p of pages) add(p, 'page');
  for (const d of documents) add(d, 'document');
  return out;
}
