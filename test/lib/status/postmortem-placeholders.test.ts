import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePlaceholders, findPostmortemPlaceholders, sampleValues } from '../../../src/lib/status/postmortem-placeholders.ts';
import { postmortemTemplate, runbookPostmortemTemplate } from '../../../src/lib/status/postmortem-template.ts';
import type { Incident } from '../../../src/lib/status/types.ts';

const found = (text: string): string[] => findPostmortemPlaceholders(text).map((p) => `${p.line}: ${p.text}`);

describe('findPostmortemPlaceholders on the runbook template', () => {
  it('finds every prompt and sample value of the verbatim template, each with its line', () => {
    expect(found(runbookPostmortemTemplate)).toEqual([
      '1: [Date]', '1: [Title]',
      '4: YYYY-MM-DD',
      '5: X hours',
      '6: PX',
      '7: Number of users affected',
      '10: HH:MM - Event occurred',
      '11: HH:MM - Alert triggered',
      '12: HH:MM - Engineer acknowledged',
      '13: HH:MM - Root cause identified',
      '14: HH:MM - Mitigation applied',
      '15: HH:MM - Incident resolved',
      '18: Detailed explanation of what went wrong',
      '21: X',
      '22: $X',
      '23: X minutes',
      '26: What fixed the issue',
      '29: (owner, deadline)', '30: (owner, deadline)', '31: (owner, deadline)', '32: (owner, deadline)',
      '35: What went well and what needs improvement',
    ]);
  });

  it('leaves no line of the template that holds something to fill unflagged', () => {
    const flagged = new Set(findPostmortemPlaceholders(runbookPostmortemTemplate).map((p) => p.line));
    runbookPostmortemTemplate.split('\n').forEach((line, i) => {
      if (line === '' || (line.startsWith('## ') && i > 0)) return;
      expect(flagged.has(i + 1), `line ${i + 1}: ${line}`).toBe(true);
    });
  });

  it('takes each sample value from the template (they cannot drift apart)', () => {
    for (const s of sampleValues) expect(runbookPostmortemTemplate, s.text).toContain(s.text);
  });

  it('is the template the project prefills from, in its words', () => {
    const incident: Incident = {
      id: 'inc', source: 'admin', title: 'API errors', severity: 'P1', impactOverride: null, components: {},
      startedAt: Date.parse('2026-11-20T09:50:00Z'), detectedAt: null, acknowledgedAt: null, mitigatedAt: null, falsePositive: false,
      repeatOf: null, body: '', updates: [{ id: 'u', at: Date.parse('2026-11-20T10:40:00Z'), status: 'resolved', message: 'Fixed.', components: null }],
    };
    const { title, body } = postmortemTemplate(incident, 'UTC', Date.parse('2026-11-21T00:00:00Z'));
    expect(found(title)).toEqual([]);
    // Dates, duration, severity, timeline and downtime come from the incident; the prose is left to the author.
    expect(findPostmortemPlaceholders(body).map((p) => p.text)).toEqual([
      'Number of users affected', 'Detailed explanation of what went wrong', 'X', '$X', 'What fixed the issue',
      '(owner, deadline)', '(owner, deadline)', '(owner, deadline)', '(owner, deadline)', 'What went well and what needs improvement',
    ]);
    const untimed = postmortemTemplate({ ...incident, startedAt: null, updates: [] }, 'UTC', 0);
    expect(found(untimed.title)).toEqual(['1: [Date]']);
    expect(findPostmortemPlaceholders(untimed.body).map((p) => p.text)).toEqual(expect.arrayContaining(['YYYY-MM-DD', 'X hours', 'X minutes']));
  });
});

describe('findPostmortemPlaceholders, line by line', () => {
  it.each([
    ['a bracketed placeholder', 'Caused by [root cause].', ['1: [root cause]']],
    ['the issue\'s sample values', '- Duration: X hours\n- Severity: PX\n- Revenue impact: $X', ['1: X hours', '2: PX', '3: $X']],
    ['X standing for a number before a unit', 'Down for X minutes, degraded for X hours.', ['1: X minutes', '1: X hours']],
    ['a lone X as a value', '- Users affected: X', ['1: X']],
    ['a lone X with emphasis', '- **Users affected**: **X**', ['1: X']],
    ['a timeline line left as written', '## Timeline\n- HH:MM - Event occurred\n- 10:02 - Alert triggered', ['2: HH:MM - Event occurred']],
    ['the date sample', '- **Date**: YYYY-MM-DD', ['1: YYYY-MM-DD']],
    ['an action item without owner', '- [ ] Fix root cause (owner, deadline)', ['1: (owner, deadline)']],
    ['an action item done but unowned', '- [x] Update runbook (Owner, Deadline)', ['1: (owner, deadline)']],
    ['a prose prompt with a full stop', 'Detailed explanation of what went wrong.', ['1: Detailed explanation of what went wrong']],
    ['a prose prompt after a label', '- **Impact**: Number of users affected', ['1: Number of users affected']],
    ['the heading of the runbook', '# Incident Post-Mortem: [Date] - [Title]', ['1: [Date]', '1: [Title]']],
    ['each line where it repeats', 'What fixed the issue\n\nWhat fixed the issue', ['1: What fixed the issue', '3: What fixed the issue']],
    ['CRLF line ends', 'Fine.\r\n- Severity: PX\r\n', ['2: PX']],
  ])('%s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it.each([
    ['a credit in dollars', 'We are applying a $5 credit, $X0 is not a thing, and $XYZ is a ticker.'],
    ['header names and protocols', 'The X-Request-Id header, X.509 certificates and the X11 forwarding.'],
    ['real severities', 'This was a P1 incident, not a P0; PXE boot and 12px fonts are fine.'],
    ['a filled timeline', '- 14:00 - Event occurred: the certificate expired\n- 14:03 - Alert triggered'],
    ['filled action items', '- [ ] Fix root cause (Priya, 2026-12-04)\n- [x] Improve monitoring (Tom, done)'],
    ['a prompt used inside a real sentence', 'What fixed the issue was a rollback of the gateway.'],
    ['a label whose answer is filled', 'Number of users affected: about 1,200'],
    ['links, references and footnotes', 'See [the runbook](https://x.test) and [RFC][rfc] and note[^1] and [1].\n\n[rfc]: https://x.test/rfc'],
    ['array indexing', 'The loop read items[i] past the end.'],
    ['placeholders in code', 'Use `HH:MM` and `$X` in the query:\n\n```\n- Severity: PX\n[Date]\n```\n'],
    ['unrecorded timeline steps', '- --:-- - Engineer acknowledged (not recorded)'],
    ['the letter x in prose', 'Roll out to 2x capacity and check the x axis.'],
    ['escaped brackets that belong to the text', 'Errors in the \\[EU\\] region only.'],
  ])('no false positive: %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });

  it('passes the shipped example post-mortem', () => {
    const file = fs.readFileSync(path.resolve(import.meta.dirname, '../../../content/postmortems/2026-11-12-api-outage.md'), 'utf8');
    expect(found(file)).toEqual([]);
  });
});

describe('describePlaceholders', () => {
  it('names each placeholder with its line, offset to the file when asked', () => {
    const list = findPostmortemPlaceholders('ok\n- Date: YYYY-MM-DD\n[Title]');
    expect(describePlaceholders(list)).toEqual(['Line 2: YYYY-MM-DD', 'Line 3: [Title]']);
    expect(describePlaceholders(list, 5)).toEqual(['Line 7: YYYY-MM-DD', 'Line 8: [Title]']);
  });
});
