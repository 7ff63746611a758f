import { describe, expect, it } from 'vitest';
import { contentKind, parseContentFile, splitFrontmatter, type ContentProblem } from '../../../../src/lib/server/content/content-file.ts';

const md = (frontmatter: string, body = 'Body text.'): string => `---\n${frontmatter}\n---\n${body}\n`;
const incident = (lines: string[]): string => md(lines.join('\n'));
const validUpdates = ['updates:', '  - at: 2026-11-20T10:00:00Z', '    status: investigating', '    message: Looking into it'];

function problems(file: string, text: string): ContentProblem[] {
  const r = parseContentFile(file, text);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.problems;
}

describe('contentKind', () => {
  it.each<[string, string | null]>([
    ['site.yaml', 'site'],
    ['site.yml', 'site'],
    ['components.yaml', 'components'],
    ['incidents/2026-11-20-api.md', 'incident'],
    ['maintenance/2026-12-01-db.md', 'maintenance'],
    ['postmortems/2026-11-20-api.md', 'postmortem'],
    ['incidents/nested/x.md', null],
    ['incidents/notes.txt', null],
    ['README.md', null],
  ])('%s → %s', (file, kind) => {
    expect(contentKind(file)).toBe(kind);
  });
});

describe('splitFrontmatter', () => {
  it('separates frontmatter and trimmed body, with CRLF and a BOM', () => {
    expect(splitFrontmatter('\uFEFF---\r\ntitle: X\r\n---\r\n\r\nHello **world**\r\n')).toEqual({ frontmatter: 'title: X\n', body: 'Hello **world**' });
  });

  it.each([['title: X\n'], ['---\ntitle: X\n'], ['text\n---\ntitle: X\n---\n']])('returns null without frontmatter: %j', (text) => {
    expect(splitFrontmatter(text)).toBeNull();
  });
});

describe('parseContentFile: valid files', () => {
  it('an incident yields its id from the file name, times as instants and the body', () => {
    const r = parseContentFile('incidents/2026-11-20-api.md', incident([
      'title: API errors', 'severity: P1', 'components:', '  api: major_outage', 'started: 2026-11-20T09:55:00+01:00', ...validUpdates,
    ]));
    expect(r).toMatchObject({
      ok: true,
      parsed: {
        kind: 'incident', id: '2026-11-20-api', body: 'Body text.',
        value: { title: 'API errors', severity: 'P1', components: { api: 'major_outage' }, started: Date.parse('2026-11-20T08:55:00Z'), false_positive: false },
      },
    });
  });

  it('a site file gets defaults for what it leaves out', () => {
    const r = parseContentFile('site.yaml', 'name: Acme\nurl: https://status.acme.example\n');
    expect(r).toMatchObject({ ok: true, parsed: { value: { timezone: 'UTC', email_signature: 'Engineering Team', description: '' } } });
  });

  it.each(['/brand/logo.png', 'logo.png', 'https://cdn.acme.example/logo.png?v=2'])('a site logo %s is accepted', (logo) => {
    const r = parseContentFile('site.yaml', `name: Acme\nurl: https://status.acme.example\nlogo: "${logo}"\n`);
    expect(r).toMatchObject({ ok: true, parsed: { value: { logo } } });
  });
});

describe('parseContentFile: each problem names the file, the field and the reason', () => {
  const file = 'incidents/2026-11-20-api.md';
  it.each<[string, string, string, string, RegExp]>([
    ['unknown update status', file,
      incident(['title: X', 'severity: P1', 'updates:', '  - at: 2026-11-20T10:00:00Z', '    status: exploding', '    message: m']),
      'updates.0.status', /must be one of investigating, identified, monitoring, resolved/],
    ['unknown status given to a component', file,
      incident(['title: X', 'severity: P1', 'components:', '  api: down', ...validUpdates]),
      'components.api', /must be one of degraded_performance, partial_outage, major_outage/],
    ['a time that is not a time', file,
      incident(['title: X', 'severity: P1', 'updates:', '  - at: yesterday', '    status: investigating', '    message: m']),
      'updates.0.at', /ISO 8601 time with an offset/],
    ['a time without an offset (2026-11-20T10:00:00)', file,
      incident(['title: X', 'severity: P1', 'updates:', '  - at: 2026-11-20T10:00:00', '    status: investigating', '    message: m']),
      'updates.0.at', /with an offset/],
    ['an impossible date', file,
      incident(['title: X', 'severity: P1', 'started: 2026-13-40T10:00:00Z', ...validUpdates]),
      'started', /ISO 8601/],
    ['missing title', file, incident(['severity: P1', ...validUpdates]), 'title', /title is required/],
    ['blank title', file, incident(['title: "   "', 'severity: P1', ...validUpdates]), 'title', /title must not be empty/],
    ['unknown severity', file, incident(['title: X', 'severity: P9', ...validUpdates]), 'severity', /must be one of P0, P1, P2, P3/],
    ['no updates', file, incident(['title: X', 'severity: P1', 'updates: []']), 'updates', /at least one update/],
    ['maintenance end without offset', 'maintenance/m.md',
      md('title: M\nscheduled_start: 2026-11-20T10:00:00Z\nscheduled_end: 2026-11-20T09:00:00'), 'scheduled_end', /with an offset/],
    ['post-mortem without incident', 'postmortems/p.md', md('title: P'), 'incident', /incident is required/],
    ['site without a valid url', 'site.yaml', 'name: Acme\nurl: not-a-url\n', 'url', /absolute URL/],
    ['site with an unknown time zone', 'site.yaml', 'name: Acme\nurl: https://x.example\ntimezone: Mars/Base\n', 'timezone', /IANA time zone/],
    ['site logo with a javascript: URL', 'site.yaml', 'name: Acme\nurl: https://x.example\nlogo: "javascript:alert(1)"\n', 'logo', /http\(s\) URL or a path relative to the site URL/],
    ['site logo as a data: URL', 'site.yaml', 'name: Acme\nurl: https://x.example\nlogo: "data:image/png;base64,AAAA"\n', 'logo', /http\(s\) URL or a path relative/],
    ['site logo protocol-relative', 'site.yaml', 'name: Acme\nurl: https://x.example\nlogo: //cdn.example/l.png\n', 'logo', /http\(s\) URL or a path relative/],
    ['site logo as SVG', 'site.yaml', 'name: Acme\nurl: https://x.example\nlogo: /brand/logo.svg\n', 'logo', /PNG, JPEG or GIF .*SVG/],
    ['site logo that is not a string', 'site.yaml', 'name: Acme\nurl: https://x.example\nlogo: 42\n', 'logo', /image URL or a path/],
    ['site language not shipped', 'site.yaml', 'name: Acme\nurl: https://x.example\nlanguages: [en, klingon]\n', 'languages.1', /must be one of en, de, fr, es, pt, ja/],
    ['site languages not a list', 'site.yaml', 'name: Acme\nurl: https://x.example\nlanguages: de\n', 'languages', /list of languages/],
    ['site language named twice', 'site.yaml', 'name: Acme\nurl: https://x.example\nlanguages: [de, de]\n', 'languages', /twice/],
    ['component id not kebab-case', 'components.yaml', '- id: Public API\n  name: API\n', '0.id', /kebab-case/],
    ['unknown component status value', 'components.yaml', '- id: api\n  name: API\n  status: sideways\n', '0.status',
      /must be one of operational, under_maintenance, degraded_performance, partial_outage, major_outage/],
  ])('%s', (_name, path, text, field, reason) => {
    expect(problems(path, text)).toContainEqual({ file: path, field, reason: expect.stringMatching(reason) });
  });

  it('invalid YAML in the frontmatter names the line of the file (the --- marker is line 1)', () => {
    // The repeated key is on line 4 of the file.
    const text = '---\ntitle: X\nseverity: P1\ntitle: Y\nupdates: []\n---\nbody\n';
    expect(problems(file, text)).toEqual([{ file, field: '', reason: expect.stringMatching(/^invalid YAML at line 4:/) }]);
  });

  it('invalid YAML in components.yaml names the line', () => {
    const text = '- id: api\n  name: API\n- id: web\n\tname: Web\n';
    expect(problems('components.yaml', text)).toEqual([{ file: 'components.yaml', field: '', reason: expect.stringMatching(/^invalid YAML at line 4:/) }]);
  });

  it('missing frontmatter', () => {
    expect(problems(file, 'title: X\nseverity: P1\n')).toEqual([{ file, field: '', reason: 'missing YAML frontmatter between --- lines' }]);
  });

  it('a file name that cannot be an id', () => {
    expect(problems('incidents/api outage!.md', incident(['title: X', 'severity: P1', ...validUpdates])))
      .toEqual([{ file: 'incidents/api outage!.md', field: '', reason: expect.stringMatching(/file name/) }]);
  });

  it('a group member with an unknown status is reported, not silently turned into a plain component', () => {
    const text = '- id: platform\n  name: Platform\n  components:\n    - id: api\n      name: API\n      status: sideways\n';
    expect(problems('components.yaml', text)).toContainEqual({
      file: 'components.yaml', field: '0.components.0.status', reason: expect.stringMatching(/must be one of/),
    });
  });
});
