import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from '../../../../src/lib/server/markdown/markdown.ts';
import { decode, forbiddenSchemes, forbiddenTags, markup, payloads } from '../../../fixtures/xss.ts';

describe('renderMarkdown removes anything executable', () => {
  it.each(payloads)('%s', (_name, source) => {
    const html = renderMarkdown(source);
    expect(html.toLowerCase()).not.toMatch(/<(script|iframe|object|embed|form|meta|base|style|svg)\b/);
    for (const tag of markup(html)) {
      expect(forbiddenTags, html).not.toContain(tag.name);
      for (const [attr, value] of tag.attrs) {
        expect(attr, `event handler or style on <${tag.name}> in ${html}`).not.toMatch(/^on|^style$/);
        for (const scheme of forbiddenSchemes) expect(decode(value), html).not.toContain(scheme);
      }
    }
  });

  it.each(payloads)('%s: no tag outside the allowed list', (_name, source) => {
    const allowed = new Set(['h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 's',
      'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'sup', 'sub', 'kbd', 'span']);
    const names = [...renderMarkdown(source).matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase());
    expect(names.filter((n) => !allowed.has(n))).toEqual([]);
  });

  it('a payload that markdown leaves as text is escaped, so it never becomes a tag', () => {
    expect(renderMarkdown('<img src=x onerror=alert(1)//')).toBe('<p>&lt;img src=x onerror=alert(1)//</p>\n');
  });

  it('harmless text around a payload survives', () => {
    expect(renderMarkdown('Before <script>alert(1)</script> after')).toContain('Before');
    expect(renderMarkdown('Before <script>alert(1)</script> after')).toContain('after');
  });

  it('code spans show markup as text instead of running it', () => {
    expect(renderMarkdown('`<script>alert(1)</script>`')).toBe('<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>\n');
  });
});

describe('renderMarkdown keeps ordinary markdown', () => {
  it('bold and emphasis', () => {
    expect(renderMarkdown('**bold** and *em*')).toBe('<p><strong>bold</strong> and <em>em</em></p>\n');
  });

  it('links keep https hrefs and get rel="noopener noreferrer nofollow"', () => {
    expect(renderMarkdown('[docs](https://docs.example.com/a?b=1)')).toBe(
      '<p><a href="https://docs.example.com/a?b=1" rel="noopener noreferrer nofollow">docs</a></p>\n',
    );
  });

  it.each([
    ['mailto link', '[mail](mailto:help@example.com)', 'href="mailto:help@example.com"'],
    ['http link', '[site](http://example.com)', 'href="http://example.com"'],
  ])('%s is kept', (_name, source, expected) => {
    expect(renderMarkdown(source)).toContain(expected);
  });

  it('an author cannot weaken rel on a raw link', () => {
    const html = renderMarkdown('<a href="https://example.com" rel="opener">x</a>');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).not.toContain('rel="opener"');
  });

  it('lists', () => {
    expect(renderMarkdown('- one\n- two\n\n1. first\n2. second')).toBe(
      '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n',
    );
  });

  it('h1 is demoted to h2; lower headings stay', () => {
    expect(renderMarkdown('# Title\n\n### Sub')).toBe('<h2>Title</h2>\n<h3>Sub</h3>\n');
  });

  it('task list items say their state in text, with no checkbox', () => {
    const html = renderMarkdown('- [x] done thing\n- [ ] open thing\n- plain');
    expect(html).toBe('<ul>\n'
      + '<li class="task"><span class="task-state task-done">Done<span class="visually-hidden">:</span></span> done thing</li>\n'
      + '<li class="task"><span class="task-state task-open">Open<span class="visually-hidden">:</span></span> open thing</li>\n'
      + '<li>plain</li>\n</ul>\n');
    expect(markdownToText('- [x] done thing\n- [ ] open thing')).toBe('Done: done thing\nOpen: open thing');
  });

  it('loose task lists and raw checkboxes: still no input', () => {
    const loose = renderMarkdown('- [X] shipped\n\n  with detail\n\n- [ ] next');
    expect(loose).toContain('<li class="task"><p><span class="task-state task-done">Done<span class="visually-hidden">:</span></span> shipped</p>');
    expect(loose).toContain('task-open');
    expect(renderMarkdown('<input type="checkbox" checked> sneaky')).not.toContain('<input');
    expect(renderMarkdown('<span class="evil task-state" onclick="x()">x</span>')).toBe('<p><span class="task-state">x</span></p>\n');
  });

  it('https images are kept; http images lose their src', () => {
    expect(renderMarkdown('![graph](https://example.com/g.png)')).toContain('<img src="https://example.com/g.png" alt="graph" />');
    expect(renderMarkdown('![graph](http://example.com/g.png)')).not.toContain('src=');
  });

  it('tables and line breaks', () => {
    const html = renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |\n\nline one\nline two');
    expect(html).toContain('<table>');
    expect(html).toContain('<td align="right">2</td>');
    expect(html).toContain('line one<br />line two');
  });

  it('the same source renders the same way twice (cache)', () => {
    const src = '**cached** <img src=x onerror=alert(1)>';
    expect(renderMarkdown(src)).toBe(renderMarkdown(src));
    expect(renderMarkdown(src)).not.toContain('onerror');
  });
});

describe('markdownToText', () => {
  it('strips markup and scripts, leaving readable plain text', () => {
    expect(markdownToText('# Update\n\n**API** is <em>back</em>.<script>alert(1)</script>')).toBe('Update\nAPI is back.');
  });

  it('plain text does not contain HTML entities', () => {
    expect(markdownToText('Search & indexing < 5 min')).toBe('Search & indexing < 5 min');
  });
});
