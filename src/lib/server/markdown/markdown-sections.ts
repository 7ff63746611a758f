// Picks named sections ("## Summary", "## Impact") out of a markdown document, as markdown.
import { Lexer, type Token } from 'marked';
import { checkMarkdownSize, guardRender, limitNesting } from './markdown-guard.ts';

/** The document's top-level tokens; throws when it is too large or cannot be lexed. */
function lex(source: string): Token[] {
  checkMarkdownSize(source);
  return new Lexer({ gfm: true }).lex(limitNesting(source));
}

/** A section's name as compared: case, surrounding space and a trailing colon do not matter. */
const normalise = (name: string): string => name.trim().replace(/:$/, '').trim().toLowerCase();

/**
 * The sections under the level-1 or level-2 headings named `names`, each with its heading, in document order;
 * a section runs to the next heading of level 1 or 2. Empty when none is there.
 */
export function markdownSections(source: string, names: readonly string[]): string[] {
  return guardRender('sections', source, () => findSections(source, names), () => []).value;
}

function findSections(source: string, names: readonly string[]): string[] {
  const wanted = new Set(names.map(normalise));
  const sections: string[] = [];
  let current: string[] | null = null;
  for (const t of lex(source)) {
    if (t.type === 'heading' && t.depth <= 2) {
      if (current) sections.push(current.join('').trim());
      current = wanted.has(normalise(t.text)) ? [t.raw] : null;
      continue;
    }
    current?.push(t.raw);
  }
  if (current) sections.push(current.join('').trim());
  // A heading with nothing under it says nothing.
  return sections.filter((s) => s.includes('\n') && s.split('\n').slice(1).join('').trim() !== '');
}

/** The first block of a markdown document that is not a heading (a paragraph or a list), as markdown; '' when none. */
export function firstBlock(source: string): string {
  return guardRender('sections', source, () => {
    const t = lex(source).find((b) => b.type !== 'heading' && b.type !== 'space' && b.type !== 'hr' && b.type !== 'def');
    return t ? t.raw.trim() : '';
  }, () => (source.trim().split(/\n\s*\n/, 1)[0] ?? '').slice(0, 2000)).value;
}
