// Markdown flattened for the plain-text part of an email: readable, and no markdown syntax left.
import { describe, expect, it } from 'vitest';
import { flattenMarkdown } from '../../../../src/lib/server/markdown/markdown-text.ts';
import { payloads } from '../../../fixtures/xss.ts';

const base = 'https://status.acme.test';
const flat = (source: string): string => flattenMarkdown(source, base);

describe('flattenMarkdown', () => {
  it.each<[string, string, string]>([
    ['bold', 'The **API** is back', 'The API is back'],
    ['bold with underscores and emphasis', '__Very__ _slow_ and *odd*', 'Very slow and odd'],
    ['strikethrough', 'It was ~~down~~ slow', 'It was down slow'],
    ['a link', 'See [the docs](https://docs.acme.test/x)', 'See the docs (https://docs.acme.test/x)'],
    ['a relative link, made absolute', 'See [the incident](/incidents/x)', 'See the incident (https://status.acme.test/incidents/x)'],
    ['a link whose text is its address', '[https://docs.acme.test/](https://docs.acme.test/)', 'https://docs.acme.test/'],
    ['an autolink', 'Visit <https://docs.acme.test/x>', 'Visit https://docs.acme.test/x'],
    ['a mailto link', 'Write to [support](mailto:help@acme.test)', 'Write to support (help@acme.test)'],
    ['a javascript: link keeps only its text', 'A [trap](javascript:alert(1))', 'A trap'],
    ['an image', '![error graph](https://acme.test/g.png)', 'error graph (https://acme.test/g.png)'],
    ['a list', '- one\n- **two**\n* three', '- one\n- two\n\n- three'],
    ['an ordered list keeps its numbers', '3. third\n4. fourth', '3. third\n4. fourth'],
    ['a nested list is indented', '- outer\n  - inner', '- outer\n  - inner'],
    ['a task list', '- [x] done\n- [ ] todo', '- \u2611 done\n- \u2610 todo'],
    ['headings as plain lines', '# Title\n\n## Sub\nText', 'Title\n\nSub\n\nText'],
    ['inline code kept, backticks dropped', 'Run `npm ci` then `a < b`', 'Run npm ci then a < b'],
    ['a code block kept, indented', '```sh\nkubectl get pods -n kaizen\n```', '    kubectl get pods -n kaizen'],
    ['entities decoded', 'Search &amp; indexing &lt; 5 min &mdash; &#x2713; &quot;ok&quot;', 'Search & indexing < 5 min — ✓ "ok"'],
    ['a lone ampersand and angle bracket', 'A & B < 5', 'A & B < 5'],
    ['entities in code are literal', '`&amp;`', '&amp;'],
    ['escaped markdown characters', 'Not \\*bold\\* nor \\[a link\\]', 'Not *bold* nor [a link]'],
    ['line breaks kept', 'line one\nline two', 'line one\nline two'],
    ['paragraphs separated by a blank line', 'one\n\n\n\ntwo', 'one\n\ntwo'],
    ['a quote, indented', '> We are on it', '  We are on it'],
    ['a table, one row per line', '| a | b |\n|--|--|\n| **1** | 2 |', 'a | b\n1 | 2'],
    ['a rule', 'above\n\n---\n\nbelow', 'above\n\n----------\n\nbelow'],
    ['inline HTML stripped', 'The <b>API</b> is <em>back</em>', 'The API is back'],
    ['a script stripped with its content', 'Before <script>alert(1)</script> after', 'Before after'],
    ['an HTML block stripped to its text', '<div onclick="x()">Block <i>text</i></div>', 'Block text'],
  ])('%s', (_name, source, expected) => {
    expect(flat(source)).toBe(expected);
  });

  it('leaves no markdown syntax in a realistic update', () => {
    const text = flat('We have identified the cause as a **bad deploy** of [the router](/components/router).\n\n- Rolled back at `10:31`\n- _Monitoring_ error rates\n\n**ETA:** 11:00 GMT');
    expect(text).toBe('We have identified the cause as a bad deploy of the router (https://status.acme.test/components/router).\n\n- Rolled back at 10:31\n- Monitoring error rates\n\nETA: 11:00 GMT');
    expect(text).not.toMatch(/\*\*|__|`|\]\(|^#/m);
  });

  // Plain text runs nothing; what matters is that HTML the author wrote is dropped with a script's content, as in
  // the HTML part. (A payload markdown reads as text, like an unclosed "<img", stays text, as on the page.)
  it.each(payloads)('XSS payload %s: no tag, no script content', (_name, source) => {
    const text = flat(source);
    expect(text).not.toMatch(/<\/?(script|iframe|svg|math|object|embed|style|form|meta|base|details|a|p|input)\b/i);
    expect(text).not.toContain('document.cookie');
  });
});
