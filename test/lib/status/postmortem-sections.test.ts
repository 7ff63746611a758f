import { describe, expect, it } from 'vitest';
import { postmortemSection, postmortemSections } from '../../../src/lib/status/postmortem-sections.ts';
import { runbookPostmortemTemplate } from '../../../src/lib/status/postmortem-template.ts';

const body = `## Summary
- **Date**: 2026-11-12
- **Severity**: P0

## Timeline (UTC)
- 14:00 - Event occurred

## Impact
- Users affected: about 5,200 organisations

### Regions
All three.

\`\`\`
## Not a heading
\`\`\`

## Resolution
Rolled back.`;

describe('postmortemSection', () => {
  it.each([
    ['Summary', '- **Date**: 2026-11-12\n- **Severity**: P0'],
    ['summary', '- **Date**: 2026-11-12\n- **Severity**: P0'],
    ['Timeline', '- 14:00 - Event occurred'],
    ['Impact', '- Users affected: about 5,200 organisations\n\n### Regions\nAll three.\n\n```\n## Not a heading\n```'],
    ['Regions', 'All three.\n\n```\n## Not a heading\n```'],
    ['Resolution', 'Rolled back.'],
    ['Not a heading', null],
    ['Lessons Learned', null],
  ])('%s', (name, expected) => {
    expect(postmortemSection(body, name)).toBe(expected);
  });

  it('reads the runbook template and CRLF files', () => {
    expect(postmortemSection(runbookPostmortemTemplate, 'Impact')).toBe('- Users affected: X\n- Revenue impact: $X\n- Downtime: X minutes');
    expect(postmortemSection('## Summary\r\nShort.\r\n## Impact\r\nNone.\r\n', 'Summary')).toBe('Short.');
  });
});

describe('postmortemSections', () => {
  it('lists headings with their levels and lines', () => {
    expect(postmortemSections(body).map((s) => [s.heading, s.level, s.line])).toEqual([
      ['Summary', 2, 1], ['Timeline (UTC)', 2, 5], ['Impact', 2, 8], ['Regions', 3, 11], ['Resolution', 2, 18],
    ]);
    expect(postmortemSections('no headings')).toEqual([]);
  });
});
