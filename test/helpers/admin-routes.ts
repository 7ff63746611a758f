// The admin routes and their form actions as the source declares them: every file under src/pages/admin, and the
// values of each `action` field its forms post (or '' for a form without one). Tests compare this with the rule table.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const pagesDir = path.join(root, 'src/pages/admin');

/** Modules that run a page's posted actions (a `case 'x':` or `action === 'x'` there is an action of that page). */
const actionModules: Record<string, string[]> = {
  '/admin/incidents/:id': ['src/lib/server/incidents/incident-actions.ts'],
  '/admin/postmortems/:id': ['src/lib/server/postmortems/postmortem-editor.ts'],
};

export interface SourceRoute {
  pattern: string;
  file: string;
  kind: 'page' | 'endpoint';
  get: boolean;
  /** Null when the route takes no posts; else the action values found ('' for a form without an action field). */
  actions: string[] | null;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function patternOf(file: string): string {
  const rel = path.relative(pagesDir, file).replace(/\\/g, '/').replace(/\.(astro|ts)$/, '').replace(/(^|\/)index$/, '');
  return `/admin${rel ? `/${rel}` : ''}`.replace(/\[([a-z_]+)\]/g, ':$1');
}

const quoted = (s: string): string[] => [...s.matchAll(/'([a-z_-]+)'/g)].map((m) => m[1]!);

function formActions(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/name="action"\s+value="([^"]+)"/g)) found.add(m[1]!);
  for (const m of source.matchAll(/name="action"\s+value=\{([^}]*)\}/g)) for (const a of quoted(m[1]!)) found.add(a);
  for (const m of source.matchAll(/(?:get\('action'\)|\baction|values\.action|f\.action)\s*===\s*'([a-z_-]+)'/g)) found.add(m[1]!);
  // Each form posted to this page: one without an action field posts ''. A form with its own action= posts elsewhere.
  for (const m of source.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [attrs, body] = [m[1]!, m[2]!];
    if (!/method="post"/i.test(attrs) || /\saction=/.test(attrs)) continue;
    if (!/name="action"/.test(body)) found.add('');
  }
  return [...found];
}

/** Every route under src/pages/admin with what it answers. */
export function adminSourceRoutes(): SourceRoute[] {
  return walk(pagesDir).filter((f) => /\.(astro|ts)$/.test(f)).map((file) => {
    const source = fs.readFileSync(file, 'utf8');
    const pattern = patternOf(file);
    const endpoint = file.endsWith('.ts');
    const takesPosts = endpoint ? /export const POST\b/.test(source) : /request\.method === 'POST'/.test(source);
    let actions: string[] | null = null;
    if (takesPosts) {
      const extra = (actionModules[pattern] ?? []).map((m) => fs.readFileSync(path.join(root, m), 'utf8'));
      actions = [...new Set([...formActions(source), ...extra.flatMap((s) => [...s.matchAll(/case '([a-z_-]+)':/g)].map((x) => x[1]!)), ...extra.flatMap(formActions)])];
      if (actions.length === 0) actions = [''];
    }
    return { pattern, file: path.relative(root, file), kind: endpoint ? 'endpoint' : 'page', get: endpoint ? /export const GET\b/.test(source) : true, actions };
  });
}

/** A concrete path for a pattern (parameters filled with `id`). */
export function concretePath(pattern: string, id = 'x'): string {
  return pattern.replace(/:[a-z_]+/g, id);
}
