// Parses one file under content/ into a typed record, or into problems that name the file and field.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'astro/zod';
import {
  alertingSchema, componentsSchema, incidentSchema, maintenanceSchema, postmortemSchema, siteSchema,
  type AlertingFile, type ComponentsFile, type IncidentFile, type MaintenanceFile, type PostmortemFile, type SiteFile,
} from './content.schemas.ts';
import { parseYamlFast } from './frontmatter-yaml.ts';
import { textAsksPrivate } from './site-access.ts';

export interface ContentProblem {
  /** Path relative to the content directory, e.g. incidents/2026-11-20-api.md */
  file: string;
  /** Dotted field path, or '' for the file as a whole. */
  field: string;
  reason: string;
}

export type ParsedFile =
  | { kind: 'site'; file: string; value: SiteFile }
  | { kind: 'components'; file: string; value: ComponentsFile }
  | { kind: 'alerting'; file: string; value: AlertingFile }
  | { kind: 'incident'; file: string; id: string; value: IncidentFile; body: string }
  | { kind: 'maintenance'; file: string; id: string; value: MaintenanceFile; body: string }
  /** `bodyLine`: the file line the (trimmed) body starts on, so body problems can name file lines. */
  | { kind: 'postmortem'; file: string; id: string; value: PostmortemFile; body: string; bodyLine: number };

/** `asksPrivate`: an unreadable site.yaml whose text names a visibility other than public (the site is then closed). */
export type ParseResult = { ok: true; parsed: ParsedFile } | { ok: false; problems: ContentProblem[]; asksPrivate?: boolean };

const folders = { incidents: 'incident', maintenance: 'maintenance', postmortems: 'postmortem' } as const;

/** Which kind of content a relative path holds, or null for files we do not read. */
export function contentKind(file: string): ParsedFile['kind'] | null {
  if (file === 'site.yaml' || file === 'site.yml') return 'site';
  if (file === 'components.yaml' || file === 'components.yml') return 'components';
  if (file === 'alerting.yaml' || file === 'alerting.yml') return 'alerting';
  const m = /^(incidents|maintenance|postmortems)\/[^/]+\.md$/.exec(file);
  return m ? folders[m[1] as keyof typeof folders] : null;
}

function zodProblems(file: string, error: z.ZodError): ContentProblem[] {
  return error.issues.map((i) => ({ file, field: i.path.join('.'), reason: i.message }));
}

function yamlProblem(file: string, e: unknown, lineOffset = 0): ContentProblem {
  if (e instanceof YAMLParseError) {
    const found = e.linePos?.[0]?.line;
    const line = found === undefined ? undefined : found + lineOffset;
    return { file, field: '', reason: `invalid YAML${line ? ` at line ${line}` : ''}: ${e.message.split('\n')[0]}` };
  }
  return { file, field: '', reason: `invalid YAML: ${String(e)}` };
}

/** Splits a markdown file into its YAML frontmatter and body. */
export function splitFrontmatter(text: string): { frontmatter: string; body: string } | null {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!normalized.startsWith('---\n')) return null;
  const end = normalized.indexOf('\n---', 3);
  if (end === -1) return null;
  const afterMarker = normalized.indexOf('\n', end + 4);
  return {
    frontmatter: normalized.slice(4, end + 1),
    body: afterMarker === -1 ? '' : normalized.slice(afterMarker + 1).trim(),
  };
}

/** The 1-based file line where splitFrontmatter's trimmed body begins (the text has frontmatter). */
function bodyStartLine(text: string): number {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const afterMarker = normalized.indexOf('\n', normalized.indexOf('\n---', 3) + 4);
  if (afterMarker === -1) return normalized.split('\n').length + 1;
  const rest = normalized.slice(afterMarker + 1);
  return normalized.slice(0, afterMarker + 1 + rest.length - rest.trimStart().length).split('\n').length;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Parses and validates one file's own fields (cross-file references are checked later). */
export function parseContentFile(file: string, text: string): ParseResult {
  const kind = contentKind(file);
  if (!kind) return { ok: false, problems: [{ file, field: '', reason: 'not a content file' }] };
  if (kind === 'site' || kind === 'components' || kind === 'alerting') {
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (e) {
      return { ok: false, problems: [yamlProblem(file, e)], ...(kind === 'site' && textAsksPrivate(text) ? { asksPrivate: true } : {}) };
    }
    if (kind === 'site') {
      const r = siteSchema.safeParse(data ?? {});
      return r.success ? { ok: true, parsed: { kind, file, value: r.data } } : { ok: false, problems: zodProblems(file, r.error), ...(textAsksPrivate(text) ? { asksPrivate: true } : {}) };
    }
    if (kind === 'alerting') {
      const r = alertingSchema.safeParse(data ?? {});
      return r.success ? { ok: true, parsed: { kind, file, value: r.data } } : { ok: false, problems: zodProblems(file, r.error) };
    }
    const r = componentsSchema.safeParse(data ?? []);
    return r.success ? { ok: true, parsed: { kind, file, value: r.data } } : { ok: false, problems: zodProblems(file, r.error) };
  }
  const id = file.slice(file.indexOf('/') + 1, -'.md'.length);
  if (!idPattern.test(id)) {
    return { ok: false, problems: [{ file, field: '', reason: 'file name must be letters, digits, dashes or underscores' }] };
  }
  const split = splitFrontmatter(text);
  if (!split) return { ok: false, problems: [{ file, field: '', reason: 'missing YAML frontmatter between --- lines' }] };
  const schema = kind === 'incident' ? incidentSchema : kind === 'maintenance' ? maintenanceSchema : postmortemSchema;
  // Fast path first (thousands of files); anything it cannot accept is decided by `yaml` below, as before.
  const fast = parseYamlFast(split.frontmatter);
  let r = fast === undefined ? null : schema.safeParse(fast ?? {});
  if (!r?.success) {
    let data: unknown;
    try {
      data = parseYaml(split.frontmatter) ?? {};
    } catch (e) {
      // The frontmatter starts on the file's second line, after the opening ---.
      return { ok: false, problems: [yamlProblem(file, e, 1)] };
    }
    r = schema.safeParse(data);
  }
  if (!r.success) return { ok: false, problems: zodProblems(file, r.error) };
  const bodyLine = kind === 'postmortem' ? { bodyLine: bodyStartLine(text) } : {};
  return { ok: true, parsed: { kind, file, id, value: r.data, body: split.body, ...bodyLine } as ParsedFile };
}
