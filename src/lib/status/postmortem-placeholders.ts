// What the runbook's post-mortem template leaves for the author to replace, and where a text still holds it.
import { runbookPostmortemTemplate } from './postmortem-template.ts';
import { findPlaceholders } from './runbook-templates.ts';

/** A prompt or sample value left from the template, at its 1-based line. */
export interface PostmortemPlaceholder {
  line: number;
  text: string;
}

/**
 * The sample values the runbook writes where a fact goes (each appears in the template; a test checks it).
 * Each matches only as a placeholder: "PX" and "$X" as whole words, "X" before a unit, never "X-Request-Id",
 * "$5", "P1" or "12px".
 */
export const sampleValues: readonly { text: string; pattern: RegExp }[] = [
  { text: 'YYYY-MM-DD', pattern: /\bYYYY-MM-DD\b/g },
  { text: 'HH:MM', pattern: /\bHH:MM\b/g },
  { text: 'X hours', pattern: /(?<![\w$.-])X (?:[Hh]ours?|[Mm]inutes?)\b/g },
  { text: 'PX', pattern: /(?<![\w$-])PX(?![\w-])/g },
  { text: '$X', pattern: /\$X(?!\w)/g },
];

/** "**Impact**:", "Users affected:", "- [ ]": what comes before a line's value in the template. */
const listMarker = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/;
const label = /^(?:\*\*[^*]+\*\*|__[^_]+__|[A-Za-z][\w ]{0,40}):\s*/;

/** A line's value: no list marker, task box, label, emphasis or closing full stop; lower case, spaces collapsed. */
function lineValue(line: string): string {
  return line.replace(listMarker, '').replace(label, '').replace(/[*_]/g, '').replace(/[.!:;\s]+$/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

const normalize = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Prompts taken from the template itself, so the two cannot drift: parentheticals ("(owner, deadline)"),
 * and every line that holds no sample value is a prompt to be replaced as a whole ("What fixed the issue").
 */
function derivePrompts(template: string): { parentheticals: string[]; lines: { text: string; value: string }[] } {
  const parentheticals = new Set<string>();
  const lines: { text: string; value: string }[] = [];
  for (const raw of template.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parens = line.match(/\([^()]+\)/g) ?? [];
    for (const p of parens) parentheticals.add(p);
    const hasSample = sampleValues.some((s) => new RegExp(s.pattern.source, s.pattern.flags.replace('g', '')).test(line));
    const value = lineValue(line);
    if (parens.length === 0 && !hasSample && findPlaceholders(line).length === 0 && value !== 'x') {
      lines.push({ text: line.replace(listMarker, '').replace(label, ''), value });
    }
  }
  return { parentheticals: [...parentheticals], lines };
}

const prompts = derivePrompts(runbookPostmortemTemplate);

/** Lines inside fenced code blocks: examples there are not placeholders. */
function fencedLines(lines: readonly string[]): boolean[] {
  let fence: string | null = null;
  return lines.map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1] ?? null;
    if (fence !== null) {
      if (open !== null && open[0] === fence[0] && open.length >= fence.length && line.trim() === open) fence = null;
      return true;
    }
    if (open !== null) {
      fence = open;
      return true;
    }
    return false;
  });
}

/** Inline code spans blanked with spaces (offsets kept). */
const blankInlineCode = (line: string): string => line.replace(/(?<!`)(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, (m) => ' '.repeat(m.length));

/** Bracketed placeholders ("[Date]", "[root cause]"); not links, task boxes, footnotes, numbers or `a[i]`. */
function bracketsIn(line: string, wholeText: ReadonlySet<string>): string[] {
  return findPlaceholders(line).filter((token) => {
    if (!wholeText.has(token) || !/[A-Za-z]/.test(token)) return false;
    const at = line.indexOf(token);
    return at <= 0 || !/[\w\]]/.test(line[at - 1]!);
  });
}

/** Every placeholder on one line (code already blanked), in order of appearance, once each. */
function placeholdersInLine(line: string, brackets: ReadonlySet<string>): string[] {
  const found: { at: number; text: string }[] = [];
  const add = (at: number, text: string): void => {
    if (!found.some((f) => f.text === text)) found.push({ at, text });
  };
  for (const token of bracketsIn(line, brackets)) add(line.indexOf(token), token);
  const lower = normalize(line);
  for (const p of prompts.parentheticals) {
    const at = lower.indexOf(normalize(p));
    if (at !== -1) add(at, p);
  }
  for (const s of sampleValues) {
    for (const m of line.matchAll(s.pattern)) {
      // A timeline line is named whole ("HH:MM - Event occurred"): that is how the template writes it.
      const text = s.text === 'HH:MM' ? line.slice(m.index).replace(/\s+$/, '').slice(0, 60) : m[0];
      add(m.index, text);
    }
  }
  const value = lineValue(line);
  if (value === 'x') add(line.lastIndexOf('X'), 'X');
  const prose = prompts.lines.find((p) => p.value === value);
  if (prose) add(line.search(/\S/), prose.text);
  return found.sort((a, b) => a.at - b.at).map((f) => f.text);
}

/**
 * Prompts and sample values of the runbook's post-mortem template still in `text`, each with its 1-based line,
 * in reading order. What is in code (fenced or inline) is an example, not a placeholder.
 */
export function findPostmortemPlaceholders(text: string): PostmortemPlaceholder[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const fenced = fencedLines(lines);
  const brackets = new Set(findPlaceholders(text));
  const out: PostmortemPlaceholder[] = [];
  lines.forEach((raw, i) => {
    if (fenced[i]) return;
    for (const found of placeholdersInLine(blankInlineCode(raw), brackets)) out.push({ line: i + 1, text: found });
  });
  return out;
}

/** A placeholder in a post-mortem's title or body; body lines count from `bodyLine` (1 in a form, the file line in a file). */
export interface FieldPlaceholder extends PostmortemPlaceholder {
  field: 'title' | 'body';
}

/** Every placeholder left in a post-mortem, title first; what stops it from being published. */
export function postmortemLeftovers(pm: { title: string; body: string }, bodyLine = 1): FieldPlaceholder[] {
  return [
    ...findPostmortemPlaceholders(pm.title).map((p) => ({ field: 'title' as const, line: 1, text: p.text })),
    ...findPostmortemPlaceholders(pm.body).map((p) => ({ field: 'body' as const, line: p.line + bodyLine - 1, text: p.text })),
  ];
}

/** "Line 12: [Date]" for each placeholder, in order (`offset` turns body lines into file lines). */
export function describePlaceholders(found: readonly PostmortemPlaceholder[], offset = 0): string[] {
  return found.map((p) => `Line ${p.line + offset}: ${p.text}`);
}
