// Keeps one message from taking a page down: nesting and size are bounded before marked parses, and a render
// that still fails falls back to the escaped text, with the failure kept for the admin pages and logged once.
import { createHash } from 'node:crypto';

/** Deepest nesting of block quotes and lists that is rendered as such; deeper markers are dropped. */
export const MAX_MARKDOWN_DEPTH = 20;
/** Longest source rendered as markdown; a longer one is shown as plain text. */
export const MAX_MARKDOWN_CHARS = 100_000;

/** Width of leading spaces and tabs (a tab to the next multiple of 4), and where the text after them starts. */
function leading(line: string, from: number): { width: number; end: number } {
  let width = 0;
  let i = from;
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === ' ') width++;
    else if (c === '\t') width += 4 - (width % 4);
    else break;
  }
  return { width, end: i };
}

/** The list or quote marker at `i` and where it ends, or null. */
function markerAt(line: string, i: number): { text: string; end: number } | null {
  const c = line[i];
  const spaceAfter = (j: number): boolean => j >= line.length || line[j] === ' ' || line[j] === '\t';
  if (c === '>') return { text: '>', end: i + 1 };
  if ((c === '-' || c === '*' || c === '+') && spaceAfter(i + 1)) return { text: c, end: i + 1 };
  let j = i;
  while (j < line.length && j - i < 9 && line[j]! >= '0' && line[j]! <= '9') j++;
  if (j > i && (line[j] === '.' || line[j] === ')') && spaceAfter(j + 1)) return { text: line.slice(i, j + 1), end: j + 1 };
  return null;
}

/** One line with at most `max` levels of quotes and lists (indentation counts a level per two columns). */
function limitLine(line: string, max: number): string {
  const first = leading(line, 0);
  const markers: string[] = [];
  let i = first.end;
  for (;;) {
    const m = markerAt(line, i);
    if (!m) break;
    markers.push(m.text);
    i = leading(line, m.end).end;
  }
  const depth = markers.length + Math.floor(first.width / 2);
  if (depth <= max) return line;
  const indent = Math.min(first.width, max);
  const kept = markers.slice(0, Math.max(0, max - Math.floor(indent / 2)));
  return ' '.repeat(indent) + kept.map((m) => `${m} `).join('') + line.slice(i);
}

/**
 * Most runs of emphasis markers (`*`, `_`, `~`) one paragraph may have before they are all taken literally:
 * marked's emphasis matching takes quadratic time and deep recursion on thousands of them (`*a *a *a … b* b*`).
 */
export const MAX_EMPHASIS_RUNS = 200;

/** A paragraph with more than `max` runs of emphasis markers gets each marker escaped (shown as typed). */
function limitEmphasis(block: string, max: number): string {
  let runs = 0;
  for (const _ of block.matchAll(/[*_~]+/g)) if (++runs > max) return block.replace(/(\\?)([*_~])/g, (whole, slash: string, c: string) => (slash ? whole : `\\${c}`));
  return block;
}

/**
 * Markdown whose block quotes and lists nest at most `max` deep (deeper levels are flattened into the last one)
 * and whose paragraphs have at most MAX_EMPHASIS_RUNS runs of emphasis markers (more are taken literally).
 */
export function limitNesting(source: string, max = MAX_MARKDOWN_DEPTH): string {
  const lines = source.split(/(\r\n|\r|\n)/).map((part, n) => (n % 2 === 1 ? part : limitLine(part, max))).join('');
  return lines.split(/((?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n))/).map((part, n) => (n % 2 === 1 ? part : limitEmphasis(part, MAX_EMPHASIS_RUNS))).join('');
}

/** Escapes text for HTML content and attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The source as plain text, at most MAX_MARKDOWN_CHARS of it, with a line saying how much was left out. */
export function plainText(source: string): string {
  if (source.length <= MAX_MARKDOWN_CHARS) return source;
  return `${source.slice(0, MAX_MARKDOWN_CHARS)}\n… (${(source.length - MAX_MARKDOWN_CHARS).toLocaleString('en')} more characters not shown)`;
}

/** The source as escaped, preformatted text: what a reader sees of a message that could not be rendered. */
export function plainTextHtml(source: string): string {
  return `<pre class="markdown-plain">${escapeHtml(plainText(source))}</pre>`;
}

/** A message that could not be rendered, for the admin pages. */
export interface RenderProblem {
  /** The start of the message, to recognise it by. */
  excerpt: string;
  reason: string;
  at: number;
}

const problems = new Map<string, RenderProblem>();
const PROBLEM_LIMIT = 200;
const digest = (source: string): string => createHash('sha256').update(source).digest('base64url');

function reasonOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n', 1)[0] ?? '').slice(0, 200) || 'unknown error';
}

/** Raised before rendering when the source is longer than MAX_MARKDOWN_CHARS. */
export function checkMarkdownSize(source: string): void {
  if (source.length > MAX_MARKDOWN_CHARS) {
    throw new Error(`longer than ${MAX_MARKDOWN_CHARS.toLocaleString('en')} characters (${source.length.toLocaleString('en')})`);
  }
}

/**
 * Runs one render of `source`; when it throws, records the failure (kept and logged once per message) and
 * returns `fallback` instead, with the reason.
 */
export function guardRender<T>(kind: string, source: string, render: () => T, fallback: () => T): { value: T; problem: string | null } {
  try {
    return { value: render(), problem: null };
  } catch (e) {
    const reason = reasonOf(e);
    const key = digest(source);
    if (!problems.has(key)) {
      if (problems.size >= PROBLEM_LIMIT) problems.delete(problems.keys().next().value!);
      problems.set(key, { excerpt: source.slice(0, 80), reason, at: Date.now() });
      console.error(`markdown (${kind}): a message of ${source.length} characters could not be rendered (${reason}); shown as plain text`);
    }
    return { value: fallback(), problem: reason };
  }
}

/** Why this message could not be rendered when it last was (since the process started), or null. */
export function renderProblemFor(source: string): string | null {
  return problems.get(digest(source))?.reason ?? null;
}

/** The messages that could not be rendered since the process started, newest first. */
export function renderProblems(): RenderProblem[] {
  return [...problems.values()].reverse();
}
