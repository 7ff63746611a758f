import { describe, expect, it } from 'vitest';
import { repeatChains, suggestRepeats, titleSimilarity, titleTokens } from '../../../src/lib/status/repeats.ts';
import type { Incident } from '../../../src/lib/status/types.ts';

const DAY = 86_400_000;
const t0 = Date.parse('2026-11-01T10:00:00Z');

function incident(id: string, extra: Partial<Incident> = {}): Incident {
  return {
    id, source: 'file', title: 'Elevated API error rates', severity: 'P2', impactOverride: null,
    components: { api: 'partial_outage' }, startedAt: null, detectedAt: t0, acknowledgedAt: null,
    mitigatedAt: null, falsePositive: false, repeatOf: null, updates: [], body: '', ...extra,
  };
}

describe('titleTokens and titleSimilarity', () => {
  it('lowercases, splits on punctuation and drops stop words', () => {
    expect([...titleTokens('Elevated error-rates on the Inference API!')]).toEqual(['elevated', 'error', 'rates', 'inference', 'api']);
  });

  it.each<[string, string, number]>([
    // {elevated, error, rates, inference, api} vs {elevated, api, error, rates}: 4 shared of 5.
    ['Elevated error rates on the Inference API', 'Elevated API error rates', 0.8],
    ['Dashboard unavailable', 'DASHBOARD unavailable.', 1],
    // {dashboard, slow} vs {dashboard, unavailable}: 1 of 3.
    ['Dashboard slow', 'Dashboard unavailable', 1 / 3],
    // {api, errors} vs {api, latency}: 1 of 3 (no stemming: "errors" is not "error").
    ['API errors', 'API latency', 1 / 3],
    // {login, failures} vs {login, failing, eu}: 1 of 4.
    ['Login failures', 'Login failing in the EU', 0.25],
    ['The', 'A', 0],
  ])('%s ~ %s = %d', (a, b, expected) => {
    expect(titleSimilarity(a, b)).toBeCloseTo(expected, 10);
  });
});

describe('repeatChains', () => {
  it('joins A ← B ← C into one chain, oldest first, and leaves unlinked incidents out', () => {
    const chains = repeatChains([
      incident('c', { repeatOf: 'b', detectedAt: t0 + 20 * DAY }),
      incident('a', { detectedAt: t0 }),
      incident('lonely', { detectedAt: t0 + 5 * DAY }),
      incident('b', { repeatOf: 'a', detectedAt: t0 + 10 * DAY }),
    ]);
    expect(chains.map((c) => c.map((i) => i.id))).toEqual([['a', 'b', 'c']]);
  });

  it('keeps separate chains apart, and puts several repeats of one incident in its chain', () => {
    const chains = repeatChains([
      incident('a', { detectedAt: t0 }),
      incident('b', { repeatOf: 'a', detectedAt: t0 + DAY }),
      incident('c', { repeatOf: 'a', detectedAt: t0 + 2 * DAY }),
      incident('x', { detectedAt: t0 - DAY }),
      incident('y', { repeatOf: 'x', detectedAt: t0 + 3 * DAY }),
    ]);
    expect(chains.map((c) => c.map((i) => i.id))).toEqual([['x', 'y'], ['a', 'b', 'c']]);
  });

  it('ignores links to unknown incidents and survives a cycle', () => {
    expect(repeatChains([incident('a', { repeatOf: 'ghost' })])).toEqual([]);
    const cyclic = repeatChains([incident('a', { repeatOf: 'b' }), incident('b', { repeatOf: 'a', detectedAt: t0 + DAY })]);
    expect(cyclic.map((c) => c.map((i) => i.id))).toEqual([['a', 'b']]);
  });
});

describe('suggestRepeats: same component, similar title, within 30 days, not yet linked', () => {
  const ids = (incidents: Incident[], range: { from: number; to: number } | null = null): [string, string][] =>
    suggestRepeats(incidents, range).map((s) => [s.earlier.id, s.later.id]);

  it('suggests a similar incident on the same component 10 days later, with why', () => {
    const [s] = suggestRepeats([
      incident('first', { title: 'Elevated error rates on the Inference API', components: { api: 'major_outage', dashboard: 'degraded_performance' } }),
      incident('second', { title: 'Elevated API error rates', detectedAt: t0 + 10 * DAY }),
    ]);
    expect(s).toMatchObject({ components: ['api'], similarity: 0.8, apartMs: 10 * DAY });
    expect([s!.earlier.id, s!.later.id]).toEqual(['first', 'second']);
  });

  it.each<[string, Partial<Incident>, boolean]>([
    ['exactly 30 days apart', { detectedAt: t0 + 30 * DAY }, true],
    ['30 days and 1 ms apart', { detectedAt: t0 + 30 * DAY + 1 }, false],
    ['31 days apart', { detectedAt: t0 + 31 * DAY }, false],
    ['a different component', { components: { dashboard: 'partial_outage' }, detectedAt: t0 + DAY }, false],
    ['a dissimilar title (1/3)', { title: 'API latency', detectedAt: t0 + DAY }, false],
    ['already linked', { repeatOf: 'first', detectedAt: t0 + DAY }, false],
  ])('%s', (_name, extra, suggested) => {
    const pairs = ids([incident('first', { title: 'API errors' }), incident('second', { title: 'API errors', ...extra })]);
    expect(pairs).toEqual(suggested ? [['first', 'second']] : []);
  });

  it('excludes pairs already in one chain (A ← B ← C never suggests A ~ C)', () => {
    expect(ids([
      incident('a'),
      incident('b', { repeatOf: 'a', detectedAt: t0 + DAY }),
      incident('c', { repeatOf: 'b', detectedAt: t0 + 2 * DAY }),
    ])).toEqual([]);
  });

  it('only suggests pairs whose later incident is in the window; the earlier one may be before it', () => {
    const set = [incident('old', { detectedAt: t0 }), incident('new', { detectedAt: t0 + 5 * DAY })];
    expect(ids(set, { from: t0 + DAY, to: t0 + 10 * DAY })).toEqual([['old', 'new']]);
    expect(ids(set, { from: t0 + 6 * DAY, to: t0 + 10 * DAY })).toEqual([]);
  });

  it('lists newest first', () => {
    expect(ids([
      incident('a'),
      incident('b', { detectedAt: t0 + DAY }),
      incident('c', { detectedAt: t0 + 2 * DAY }),
    ])).toEqual([['b', 'c'], ['a', 'c'], ['a', 'b']]);
  });
});
