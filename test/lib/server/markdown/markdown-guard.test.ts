import { describe, expect, it } from 'vitest';
import { renderEmailMarkdown } from '../../../../src/lib/server/markdown/markdown-email.ts';
import {
  guardRender, limitNesting, MAX_EMPHASIS_RUNS, MAX_MARKDOWN_CHARS, MAX_MARKDOWN_DEPTH, plainTextHtml, renderProblemFor,
} from '../../../../src/lib/server/markdown/markdown-guard.ts';
import { firstBlock, markdownSections } from '../../../../src/lib/server/markdown/markdown-sections.ts';
import { flattenMarkdown } from '../../../../src/lib/server/markdown/markdown-text.ts';
import { markdownToText, renderMarkdown, renderMarkdownChecked } from '../../../../src/lib/server/markdown/markdown.ts';

const depthOf = (html: string, tag: string): number => {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(new RegExp(`<(/?)${tag}\\b`, 'g'))) {
    depth += m[1] ? -1 : 1;
    max = Math.max(max, depth);
  }
  return max;
};

describe('limitNesting', () => {
  it('leaves markdown within the limit as it is', () => {
    const source = '> quoted\n> > twice\n\n- a\n  - b\n    - c\n\n1. one\n2. two\n\n    code\n\n* * *\n**bold** and *em*';
    expect(limitNesting(source)).toBe(source);
    expect(limitNesting('> '.repeat(MAX_MARKDOWN_DEPTH) + 'x')).toBe('> '.repeat(MAX_MARKDOWN_DEPTH) + 'x');
  });

  it('flattens quotes and lists deeper than the limit into the deepest allowed level, keeping the text', () => {
    expect(limitNesting('> '.repeat(5000) + 'deep')).toBe('> '.repeat(MAX_MARKDOWN_DEPTH) + 'deep');
    expect(limitNesting('- '.repeat(30) + 'x', 3)).toBe('- - - x');
    expect(limitNesting('> - 1. > - 2) x', 3)).toBe('> - 1. x');
    expect(limitNesting(' '.repeat(200) + '- x', 4)).toBe('    - - x'.replace('- - ', '- '));
  });

  it('treats each line on its own, whatever the line ending', () => {
    const deep = '>'.repeat(50);
    expect(limitNesting(`${deep} a\r\nplain\r${deep} b\nend`, 2)).toBe('> > a\r\nplain\r> > b\nend');
  });

  it('keeps a 5,000-deep quote or list from overflowing every renderer', () => {
    for (const source of ['> '.repeat(5000) + 'deep', '- '.repeat(5000) + 'deep', '1. '.repeat(3000) + 'deep', '> - '.repeat(3000) + 'deep']) {
      const r = renderMarkdownChecked(source);
      expect(r.problem).toBeNull();
      expect(r.html).toContain('deep');
      expect(Math.max(depthOf(r.html, 'blockquote'), depthOf(r.html, 'ul') + depthOf(r.html, 'ol'))).toBeLessThanOrEqual(MAX_MARKDOWN_DEPTH);
      expect(flattenMarkdown(source, 'https://status.example.com')).toContain('deep');
      expect(renderEmailMarkdown(source, 'https://status.example.com')).toContain('deep');
      expect(markdownToText(source)).toContain('deep');
      expect(markdownSections(`## Summary\n\n${source}`, ['Summary'])[0]).toContain('deep');
      expect(firstBlock(source)).toContain('deep');
    }
  });

  it('keeps thousands of lines each quoted deeper than the last from exhausting memory', () => {
    // 400 lines quoted 1…400 deep (80,000 characters): unlimited, marked holds every level's copy of the rest.
    const source = Array.from({ length: 400 }, (_, i) => `${'>'.repeat(i + 1)} line ${i}`).join('\n');
    const r = renderMarkdownChecked(source);
    expect(r.problem).toBeNull();
    const html = r.html;
    expect(html.includes('line 399')).toBe(true);
    expect(depthOf(html, 'blockquote')).toBeLessThanOrEqual(MAX_MARKDOWN_DEPTH);
  });
});

describe('the emphasis limit', () => {
  it('takes every emphasis marker of a paragraph literally past MAX_EMPHASIS_RUNS runs, and leaves others alone', () => {
    const nested = `${'*a '.repeat(3000)}x${' b*'.repeat(3000)}`;
    const r = renderMarkdownChecked(`${nested}\n\nthen *this* stays emphasised`);
    expect(r.problem).toBeNull();
    expect(r.html).not.toContain('<em>a');
    expect(r.html).toContain('*a *a');
    expect(r.html).toContain('<em>this</em>');
    expect(limitNesting(`${'_x_ '.repeat(MAX_EMPHASIS_RUNS / 2)}`)).toBe('_x_ '.repeat(MAX_EMPHASIS_RUNS / 2));
    expect(limitNesting(`${'\\*'.repeat(MAX_EMPHASIS_RUNS + 1)} *a*`)).toBe(`${'\\*'.repeat(MAX_EMPHASIS_RUNS + 1)} \\*a\\*`);
  });
});

describe('the render guard', () => {
  it('returns the fallback and the reason when a render throws, and remembers the message for the admin', () => {
    const source = `a message that breaks the renderer ${Math.random()}`;
    const r = guardRender('html', source, () => { throw new RangeError('Maximum call stack size exceeded\nat …'); }, () => 'fallback');
    expect(r).toEqual({ value: 'fallback', problem: 'Maximum call stack size exceeded' });
    expect(renderProblemFor(source)).toBe('Maximum call stack size exceeded');
    expect(renderProblemFor('another message')).toBeNull();
  });

  it('shows the fallback as escaped, preformatted text, never as HTML', () => {
    expect(plainTextHtml('<img src=x onerror=alert(1)> & "q"')).toBe('<pre class="markdown-plain">&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</pre>');
  });

  it('renders a message longer than the size limit as escaped text, cut at the limit, and says why', () => {
    const source = `<script>alert(1)</script>\n${'x'.repeat(MAX_MARKDOWN_CHARS)}`;
    const r = renderMarkdownChecked(source);
    expect(r.problem).toMatch(/^longer than 100,000 characters/);
    expect(r.html.startsWith('<pre class="markdown-plain">&lt;script&gt;')).toBe(true);
    expect(r.html).not.toContain('<script');
    expect(r.html).toContain('more characters not shown');
    expect(r.html.length).toBeLessThan(MAX_MARKDOWN_CHARS + 200);
    expect(renderEmailMarkdown(source, 'https://status.example.com')).not.toContain('<script');
    expect(flattenMarkdown(source, 'https://status.example.com').length).toBeLessThan(MAX_MARKDOWN_CHARS + 100);
    expect(markdownSections(source, ['Summary'])).toEqual([]);
  });
});
