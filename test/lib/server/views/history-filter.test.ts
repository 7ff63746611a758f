import { describe, expect, it } from 'vitest';
import { historyFilterQuery, historyPagePath, parseHistoryFilter } from '../../../../src/lib/server/views/history.view.ts';

const model = {
  componentById: new Map([['api', {}], ['docs', {}]]),
  groups: [{ id: 'core' }],
} as unknown as Parameters<typeof parseHistoryFilter>[0];

describe('parseHistoryFilter', () => {
  it('accepts known components and groups, YYYY-MM months, and empty values as "all"', () => {
    expect(parseHistoryFilter(model, null, null)).toEqual({ ok: true, filter: { component: null, month: null } });
    expect(parseHistoryFilter(model, '', '')).toEqual({ ok: true, filter: { component: null, month: null } });
    expect(parseHistoryFilter(model, 'api', '2026-11')).toEqual({ ok: true, filter: { component: 'api', month: '2026-11' } });
    expect(parseHistoryFilter(model, 'core', null)).toEqual({ ok: true, filter: { component: 'core', month: null } });
  });

  it('refuses an unknown component and a malformed month, naming the value', () => {
    expect(parseHistoryFilter(model, 'nope', null)).toEqual({ ok: false, problem: 'component', value: 'nope' });
    for (const m of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', 'November']) {
      expect(parseHistoryFilter(model, null, m)).toEqual({ ok: false, problem: 'month', value: m });
    }
  });
});

describe('historyPagePath', () => {
  it('pages by path and carries the filter as a query', () => {
    expect(historyPagePath(1)).toBe('/history');
    expect(historyPagePath(3)).toBe('/history/page/3');
    expect(historyPagePath(2, { component: 'api', month: '2026-11' })).toBe('/history/page/2?component=api&month=2026-11');
    expect(historyFilterQuery({ component: 'a&b', month: null })).toBe('?component=a%26b');
  });
});
