// Markdown in the HTML part of an email: sanitized like the site's, inline styles, every address absolute.
import { describe, expect, it } from 'vitest';
import { absoluteUrl, renderEmailMarkdown } from '../../../../src/lib/server/markdown/markdown-email.ts';
import { decode, forbiddenSchemes, forbiddenTags, markup, payloads } from '../../../fixtures/xss.ts';

const base = 'https://status.acme.test';
const render = (source: string): string => renderEmailMarkdown(source, base);

describe('renderEmailMarkdown removes anything executable', () => {
  it.each([
    ...payloads,
    ['relative javascript: link made "absolute"', '[x](javascript:alert(1))'],
    ['onerror on a relative image', '<img src="/a.png" onerror="alert(1)">'],
    ['author style and class on a link', '<a href="/x" style="position:fixed;inset:0" class="k-button">x</a>'],
  ] as [string, string][])('%s', (_name, source) => {
    const html = render(source);
    expect(html.toLowerCase()).not.toMatch(/<(script|iframe|object|embed|form|meta|base|style|svg|input)\b/);
    for (const tag of markup(html)) {
      expect(forbiddenTags, html).not.toContain(tag.name);
      for (const [attr, value] of tag.attrs) {
        expect(attr, `event handler on <${tag.name}> in ${html}`).not.toMatch(/^on/);
        for (const scheme of forbiddenSchemes) expect(decode(value), html).not.toContain(scheme);
        // The only styles are the renderer's own: no author's position, expression() or url().
        if (attr === 'style') expect(value, html).not.toMatch(/position|expression|url\(|javascript/i);
        if (attr === 'class') expect(value, html).toMatch(/^(k-(text|muted|link|code|rule) ?)+$/);
      }
    }
  });
});

describe('renderEmailMarkdown keeps markdown, styled for email clients', () => {
  it.each<[string, string, string]>([
    ['bold', 'A **bold** word', '<strong>bold</strong>'],
    ['emphasis', 'An _em_ word', '<em>em</em>'],
    ['a paragraph with inline style and the dark-mode class', 'Text', '<p style="margin:0 0 12px;'],
    ['an absolute link', '[docs](https://docs.example.com/a?b=1)', 'href="https://docs.example.com/a?b=1"'],
    ['a relative link made absolute', '[the incident](/incidents/x)', 'href="https://status.acme.test/incidents/x"'],
    ['a page-relative link made absolute', '[history](history?page=2)', 'href="https://status.acme.test/history?page=2"'],
    ['a mailto link', '[mail](mailto:help@acme.test)', 'href="mailto:help@acme.test"'],
    ['a list', '- one\n- two', '<li style="margin:0 0 4px;'],
    ['inline code as a chip', 'run `npm ci`', 'class="k-code">npm ci</code>'],
    ['a relative https image made absolute', '![graph](/g.png)', 'src="https://status.acme.test/g.png"'],
    ['a task list state as bold text, no form control', '- [x] done\n- [ ] todo', '<strong>Done<span>:</span></strong> done'],
    ['a heading below the email heading', '# Title', '<h2 style='],
  ])('%s', (_name, source, expected) => {
    expect(render(source)).toContain(expected);
  });

  it('links get the link colour and keep rel="noopener noreferrer nofollow"', () => {
    expect(render('[x](/y)')).toMatch(/<a href="https:\/\/status\.acme\.test\/y" rel="noopener noreferrer nofollow" style="color:#0969da;[^"]*" class="k-link">x<\/a>/);
  });

  it('a code block keeps its text and the block style, not the inline chip', () => {
    const html = render('```\nif (a < b) run();\n```');
    expect(html).toContain('<pre style="margin:0 0 12px;');
    expect(html).toContain('<code style="font-family:inherit;font-size:inherit;">if (a &lt; b) run();');
  });

  it('an http image on an http site loses its src (email images are https only)', () => {
    expect(renderEmailMarkdown('![g](/g.png)', 'http://127.0.0.1:4321')).not.toContain('src=');
  });
});

describe('absoluteUrl', () => {
  it.each<[string, string, string | null]>([
    ['/a', 'https://s.test', 'https://s.test/a'],
    ['a/b', 'https://s.test/', 'https://s.test/a/b'],
    ['https://x.test/y', 'https://s.test', 'https://x.test/y'],
    ['mailto:a@b.test', 'https://s.test', 'mailto:a@b.test'],
    ['javascript:alert(1)', 'https://s.test', null],
    ['data:text/html,x', 'https://s.test', null],
  ])('%s on %s → %s', (href, baseUrl, expected) => {
    expect(absoluteUrl(href, baseUrl)).toBe(expected);
  });
});
