// The runbook's status-page wording, and the checks that a message was filled in before it is posted.
import type { IncidentStatus } from './vocabulary.ts';

const templates: Record<IncidentStatus, string> = {
  investigating: 'We are investigating reports of [issue].\nUpdates will be provided every 15 minutes.',
  identified: 'We have identified the cause as [root cause].\nWorking on mitigation. ETA: [time]',
  // The runbook has no monitoring message; this one keeps its voice and its 15-minute cadence.
  monitoring: 'A fix has been applied and we are monitoring the results.\nNext update in 15 minutes.',
  resolved: 'Issue has been resolved. All systems operational.\nPost-mortem will be published within 48 hours.',
};

/** The runbook's "Initial" message; the issue replaces "[issue]" when given (its final full stop dropped, the template has one). */
export function initialMessage(issue?: string): string {
  const filled = issue?.trim().replace(/\.$/, '').trim();
  if (!filled) return templates.investigating;
  return templates.investigating.replace('[issue]', () => filled);
}

/** The runbook's message for an update that moves an incident to `status`, placeholders left for the author. */
export function messageTemplate(status: IncidentStatus): string {
  return templates[status];
}

/** Blanks fenced code blocks and inline code spans with spaces, keeping offsets and line breaks. */
function blankCode(text: string): string {
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  let fence: { char: string; length: number } | null = null;
  const lines = text.split('\n').map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      const closes = open && open[1]![0] === fence.char && open[1]!.length >= fence.length && open[2]!.trim() === '';
      if (closes) fence = null;
      return blank(line);
    }
    // A backtick fence's info string may not contain a backtick (CommonMark); otherwise it is inline code.
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      return blank(line);
    }
    return line;
  });
  // An inline code span runs from a run of n backticks to the next run of exactly n.
  return lines.join('\n').replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, blank);
}

/** Index of the `]` closing the `[` at `open`, or -1; a blank line ends the search (a new paragraph). */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
    else if (c === '\n' && text[i + 1] === '\n') return -1;
  }
  return -1;
}

/** Index just past the `)` closing the `(` at `open` (a link destination), or just past `open` when unclosed. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
    else if (c === '\n') break;
  }
  return open + 1;
}

const normalizeLabel = (label: string): string => label.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Runbook-style placeholders still in a message ("[issue]", "[root cause]", "[P0/P1]"), in order and once each.
 * Markdown links and images, reference links and definitions, task-list boxes, footnotes, escaped
 * brackets and anything in code are not placeholders.
 */
export function findPlaceholders(message: string): string[] {
  const text = blankCode(message);
  const defined = new Set<string>();
  for (const m of text.matchAll(/^ {0,3}\[([^[\]\n]+)\]:/gm)) defined.add(normalizeLabel(m[1]!));
  const found: string[] = [];
  let i = text.indexOf('[');
  while (i !== -1) {
    let next = i + 1;
    const close = text[i - 1] === '\\' ? -1 : closingBracket(text, i);
    if (close !== -1) {
      const after = text[close + 1];
      const inner = text.slice(i + 1, close);
      const lineBefore = text.slice(text.lastIndexOf('\n', i - 1) + 1, i);
      if (after === '(') next = closingParen(text, close + 1);
      else if (after === '[') next = Math.max(close + 2, closingBracket(text, close + 1) + 1);
      else if (after === ':' && /^ {0,3}$/.test(lineBefore)) next = close + 1;
      else if (isPlaceholder(inner, lineBefore) && !defined.has(normalizeLabel(inner))) {
        const token = `[${inner}]`;
        if (!found.includes(token)) found.push(token);
      }
    }
    i = text.indexOf('[', next);
  }
  return found;
}

function isPlaceholder(inner: string, lineBefore: string): boolean {
  if (inner.length < 1 || inner.length > 60 || /[[\]\n]/.test(inner) || inner.trim() === '') return false;
  if (inner.startsWith('^')) return false; // footnote reference
  const checkbox = /^[ xX]$/.test(inner) && /^\s*(?:[-*+]|\d+[.)])\s+$/.test(lineBefore);
  return !checkbox;
}

/** The ETA a message gives ("ETA: 14:30 UTC" gives "14:30 UTC"); null when it gives none or it is still a placeholder. */
export function etaFromMessage(message: string): string | null {
  const m = /\bETA\**\s*:\**[ \t]*(.*)$/im.exec(message);
  const eta = m?.[1]?.trim() ?? '';
  if (eta === '' || findPlaceholders(eta).length > 0) return null;
  return eta;
}
