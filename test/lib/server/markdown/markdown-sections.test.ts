// Named sections out of a post-mortem: the runbook template's Summary and Impact.
import { describe, expect, it } from 'vitest';
import { firstBlock, markdownSections } from '../../../../src/lib/server/markdown/markdown-sections.ts';

const doc = '# Incident Post-Mortem: 2026-11-20 - API errors\n\n## Summary\n- **Date**: 2026-11-20\n- **Duration**: 1 h 12 min\n\n## Timeline\n- 10:05 - Event occurred\n\n## Root Cause\nA bad deploy.\n\n## Impact\n- Users affected: 1,200\n\n### Details\nMostly EU.\n\n## Resolution\nRolled back.\n';

describe('markdownSections', () => {
  it('picks the named sections in document order, each with its heading and sub-sections', () => {
    expect(markdownSections(doc, ['Impact', 'Summary'])).toEqual([
      '## Summary\n- **Date**: 2026-11-20\n- **Duration**: 1 h 12 min',
      '## Impact\n- Users affected: 1,200\n\n### Details\nMostly EU.',
    ]);
  });

  it('matches names whatever their case, spacing or trailing colon', () => {
    expect(markdownSections('## summary:\nText\n', ['Summary'])).toEqual(['## summary:\nText']);
  });

  it('skips a heading with nothing under it, and finds nothing where the sections are absent', () => {
    expect(markdownSections('## Summary\n\n## Impact\nSome.\n', ['Summary', 'Impact'])).toEqual(['## Impact\nSome.']);
    expect(markdownSections('Just a paragraph.', ['Summary'])).toEqual([]);
  });
});

describe('firstBlock', () => {
  it('is the first paragraph or list that is not a heading', () => {
    expect(firstBlock('# Title\n\n## Sub\n\nFirst **para**.\n\nSecond.')).toBe('First **para**.');
    expect(firstBlock('- a\n- b\n\nText')).toBe('- a\n- b');
    expect(firstBlock('## Only a heading')).toBe('');
  });
});
