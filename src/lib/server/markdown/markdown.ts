// Markdown to safe HTML: marked renders, sanitize-html removes anything executable.
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { checkMarkdownSize, guardRender, limitNesting, plainText, plainTextHtml } from './markdown-guard.ts';
import { taskListAsText, taskListClasses } from './task-list.ts';

const marked = new Marked({ gfm: true, breaks: true, async: false }).use(taskListAsText);

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 's',
    'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'sup', 'sub', 'kbd', 'span',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedClasses: taskListClasses,
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  // Headings in user content start below the page's own h1.
  transformTags: {
    h1: 'h2',
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
  },
};
sanitizeOptions.allowedAttributes = { ...sanitizeOptions.allowedAttributes, a: ['href', 'title', 'rel'] };

/** Markdown as parsed HTML, unsanitized: nesting and size bounded first (markdown-guard.ts); throws on failure. */
function parse(source: string): string {
  checkMarkdownSize(source);
  return marked.parse(limitNesting(source)) as string;
}

/** A render and, when the markdown could not be rendered, why (the HTML is then the escaped text). */
export interface CheckedRender { html: string; problem: string | null }

const cache = new Map<string, CheckedRender>();
const CACHE_LIMIT = 5000;

/** Markdown as HTML that is safe to insert into a page, and whether it had to fall back to plain text. */
export function renderMarkdownChecked(source: string): CheckedRender {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const r = guardRender('html', source, () => sanitizeHtml(parse(source), sanitizeOptions), () => plainTextHtml(source));
  const checked = { html: r.value, problem: r.problem };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, checked);
  return checked;
}

/** Renders markdown to HTML that is safe to insert into a page (escaped plain text when it cannot be rendered). */
export function renderMarkdown(source: string): string {
  return renderMarkdownChecked(source).html;
}

/** Plain text of markdown, for feeds' summaries and emails (the source itself when it cannot be rendered). */
export function markdownToText(source: string): string {
  return guardRender('text', source, () => {
    const escaped = sanitizeHtml(parse(source), { allowedTags: [], allowedAttributes: {} });
    return decodeEntities(escaped).replace(/\n{3,}/g, '\n\n').trim();
  }, () => plainText(source).trim()).value;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole;
    }
    return entities[code.toLowerCase()] ?? whole;
  });
}
