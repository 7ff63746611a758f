// Markdown flattened for a plain-text email part: what a reader sees, with no markdown syntax left.
import { Lexer, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { absoluteUrl } from './markdown-email.ts';
import { checkMarkdownSize, guardRender, limitNesting, plainText } from './markdown-guard.ts';

const lexer = (source: string): Token[] => {
  checkMarkdownSize(source);
  return new Lexer({ gfm: true, breaks: true }).lex(limitNesting(source));
};

/** Escapes text for the intermediate HTML that tags are stripped from (entities the author wrote are kept). */
const escapeKeepingEntities = (s: string): string =>
  s.replace(/&(?!#?\w+;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAll = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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

/** Strips tags from the intermediate HTML (a script's or style's content goes with it) and decodes entities. */
const toText = (html: string): string => decodeEntities(sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }));

/** "text (url)", or just the url when the text is the address itself; no url when it is not http(s) or mailto. */
function linkText(text: string, href: string, baseUrl: string): string {
  const url = absoluteUrl(href, baseUrl);
  if (url === null) return text;
  const shown = url.startsWith('mailto:') ? url.slice(7) : url;
  const plain = text.trim();
  if (plain === '' || plain === href || plain === shown || plain === shown.replace(/^https?:\/\//, '').replace(/\/$/, '')) return shown;
  return `${text} (${shown})`;
}

/** Inline tokens as intermediate HTML: text escaped, raw inline HTML kept so that stripping it later is exact. */
function inline(tokens: readonly Token[] | undefined, baseUrl: string): string {
  let out = '';
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'text':
        out += 'tokens' in t && t.tokens ? inline(t.tokens, baseUrl) : escapeKeepingEntities(t.text);
        break;
      case 'escape':
        out += escapeAll(t.text);
        break;
      case 'codespan':
        out += escapeAll(t.text);
        break;
      case 'br':
        out += '\n';
        break;
      case 'html':
        out += t.text;
        break;
      case 'link': {
        const text = toText(inline(t.tokens, baseUrl));
        out += escapeAll(linkText(text, t.href, baseUrl));
        break;
      }
      case 'image': {
        const alt = t.text.trim();
        const url = absoluteUrl(t.href, baseUrl);
        out += escapeAll(url === null ? alt : alt === '' ? url : `${alt} (${url})`);
        break;
      }
      case 'checkbox':
        out += (t as Tokens.Checkbox).checked ? '\u2611 ' : '\u2610 ';
        break;
      default:
        out += 'tokens' in t && t.tokens ? inline(t.tokens, baseUrl) : escapeKeepingEntities('text' in t ? String(t.text) : '');
    }
  }
  return out;
}

const indent = (text: string, by: string): string => text.split('\n').map((l) => (l === '' ? l : by + l)).join('\n');

function listText(list: Tokens.List, baseUrl: string): string {
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items.map((item, i) => {
    const marker = list.ordered ? `${start + i}. ` : '- ';
    const content = blocks(item.tokens, baseUrl).join(item.loose ? '\n\n' : '\n');
    const [first = '', ...rest] = content.split('\n');
    return [marker + first, ...rest.map((l) => (l === '' ? l : ' '.repeat(marker.length) + l))].join('\n');
  }).join(list.loose ? '\n\n' : '\n');
}

function tableText(table: Tokens.Table, baseUrl: string): string {
  const row = (cells: Tokens.TableCell[]): string => cells.map((c) => toText(inline(c.tokens, baseUrl)).trim()).join(' | ');
  return [row(table.header), ...table.rows.map(row)].join('\n');
}

/** Block tokens as paragraphs of plain text. */
function blocks(tokens: readonly Token[], baseUrl: string): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
      case 'def':
        break;
      case 'code':
        out.push(indent(t.text, '    '));
        break;
      case 'list':
        out.push(listText(t as Tokens.List, baseUrl));
        break;
      case 'blockquote':
        out.push(indent(blocks(t.tokens ?? [], baseUrl).join('\n\n'), '  '));
        break;
      case 'table':
        out.push(tableText(t as Tokens.Table, baseUrl));
        break;
      case 'hr':
        out.push('----------');
        break;
      case 'html':
        out.push(toText(t.text).trim());
        break;
      case 'checkbox':
        out.push((t as Tokens.Checkbox).checked ? '\u2611' : '\u2610');
        break;
      default:
        // heading, paragraph and a list item's text: their inline content on lines of their own.
        out.push(toText('tokens' in t && t.tokens ? inline(t.tokens, baseUrl) : escapeKeepingEntities('text' in t ? String(t.text) : '')).replace(/ {2,}/g, ' ').trim());
    }
  }
  // A task item's checkbox joins the text after it.
  const joined: string[] = [];
  for (const p of out) {
    const last = joined.at(-1);
    if (last === '\u2611' || last === '\u2610') joined[joined.length - 1] = `${last} ${p}`;
    else if (p !== '') joined.push(p);
  }
  return joined;
}

/** A line without its trailing spaces and tabs (a loop: a regex over a long run of spaces takes quadratic time). */
function trimEndBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return line.slice(0, end);
}

/** Markdown as plain text: emphasis dropped, links as "text (absolute url)", lists as "- ", code kept, entities decoded. */
export function flattenMarkdown(source: string, baseUrl: string): string {
  // Only blank lines are trimmed at the ends: a leading indent (a code block, a quote) is content.
  const tidy = (text: string): string => text.split('\n').map(trimEndBlanks).join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\n+$/g, '');
  // A message that cannot be flattened is sent as it was written.
  return guardRender('plain text', source, () => tidy(blocks(lexer(source), baseUrl).join('\n\n')), () => tidy(plainText(source).replace(/\r\n?/g, '\n'))).value;
}
