import { describe, expect, it } from 'vitest';
import { sortUpdatesNewestFirst } from '../../../src/lib/status/incident.ts';
import {
  breachesBySeverity,
  falsePositiveRate,
  incidentDurations,
  inRange,
  isResponseBreached,
  metricRange,
  metricsBySeverity,
  percentile,
  postmortemDiscipline,
  summarize,
  weekKey,
  weeklyCounts,
} from '../../../src/lib/status/metrics.ts';
import type { Incident, IncidentUpdate } from '../../../src/lib/status/types.ts';
import type { IncidentStatus } from '../../../src/lib/status/vocabulary.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const t0 = Date.parse('2026-11-20T10:00:00Z');
const at = (minutes: number): number => t0 + minutes * MIN;

function update(minutes: number, status: IncidentStatus): IncidentUpdate {
  return { id: `u${minutes}${status}`, at: at(minutes), status, message: status, components: null };
}

/** Detected at t0 unless told otherwise; updates given oldest first. */
function incident(extra: Partial<Incident> = {}, oldestFirst: IncidentUpdate[] = [update(0, 'investigating')]): Incident {
  return {
    id: 'inc', source: 'file', title: 'API errors', severity: 'P1', impactOverride: null,
    components: { api: 'major_outage' }, startedAt: null, detectedAt: t0, acknowledgedAt: null,
    mitigatedAt: null, falsePositive: false, repeatOf: null,
    updates: sortUpdatesNewestFirst(oldestFirst), body: '', ...extra,
  };
}

/** Started 10 min before detection, acknowledged at +5, mitigated at +30, resolved at +90. */
const complete = (extra: Partial<Incident> = {}): Incident => incident(
  { startedAt: at(-10), acknowledgedAt: at(5), mitigatedAt: at(30), ...extra },
  [update(2, 'investigating'), update(90, 'resolved')],
);

describe('incidentDurations', () => {
  it.each<[string, Incident, Record<string, number | null>]>([
    ['every timestamp present', complete(), { ttd: 10 * MIN, tta: 5 * MIN, ttm: 30 * MIN, ttr: 90 * MIN }],
    ['no started: TTD left out only', complete({ startedAt: null }), { ttd: null, tta: 5 * MIN, ttm: 30 * MIN, ttr: 90 * MIN }],
    ['no acknowledged: TTA left out only', complete({ acknowledgedAt: null }), { ttd: 10 * MIN, tta: null, ttm: 30 * MIN, ttr: 90 * MIN }],
    ['no mitigated: TTM left out only', complete({ mitigatedAt: null }), { ttd: 10 * MIN, tta: 5 * MIN, ttm: null, ttr: 90 * MIN }],
    ['still open: TTR left out only', incident({ startedAt: at(-10), acknowledgedAt: at(5) }, [update(2, 'investigating')]),
      { ttd: 10 * MIN, tta: 5 * MIN, ttm: null, ttr: null }],
    ['no detected: detection is the first update', complete({ detectedAt: null }), { ttd: 12 * MIN, tta: 3 * MIN, ttm: 28 * MIN, ttr: 88 * MIN }],
    ['no detected and no updates: every metric left out', incident({ detectedAt: null, startedAt: at(-10), acknowledgedAt: at(5) }, []),
      { ttd: null, tta: null, ttm: null, ttr: null }],
    ['acknowledged before detection counts as zero', complete({ acknowledgedAt: at(-3) }), { ttd: 10 * MIN, tta: 0, ttm: 30 * MIN, ttr: 90 * MIN }],
    ['reopened and resolved again: TTR runs to the last resolution',
      incident({}, [update(0, 'investigating'), update(20, 'resolved'), update(40, 'investigating'), update(70, 'resolved')]),
      { ttd: null, tta: null, ttm: null, ttr: 70 * MIN }],
  ])('%s', (_name, inc, expected) => {
    expect(incidentDurations(inc)).toEqual(expected);
  });
});

describe('percentile (nearest rank)', () => {
  it.each<[string, number[], number | null, number | null]>([
    ['none', [], null, null],
    ['one value is both median and p90', [7], 7, 7],
    ['two values: median is the lower, p90 the upper', [20, 10], 10, 20],
    ['ten values: rank 5 and rank 9', [10, 3, 7, 1, 9, 2, 8, 4, 6, 5], 5, 9],
    ['thirty values: rank 27, without floating-point drift to 28', Array.from({ length: 30 }, (_, i) => i + 1), 15, 27],
  ])('%s', (_name, values, median, p90) => {
    expect(percentile(values, 50)).toBe(median);
    expect(percentile(values, 90)).toBe(p90);
  });

  it('p100 is the largest and p0 the smallest value', () => {
    expect(percentile([3, 1, 2], 100)).toBe(3);
    expect(percentile([3, 1, 2], 0)).toBe(1);
  });
});

describe('summarize', () => {
  it('counts the values behind the figures and those left out', () => {
    expect(summarize([4, null, 2, null, 9])).toEqual({ count: 3, leftOut: 2, median: 4, p90: 9 });
    expect(summarize([null])).toEqual({ count: 0, leftOut: 1, median: null, p90: null });
  });
});

describe('metricsBySeverity', () => {
  it('gives a row per severity, empty ones included, and one over all', () => {
    const rows = metricsBySeverity([
      complete({ id: 'a', severity: 'P0' }),
      complete({ id: 'b', severity: 'P1', startedAt: null }),
      complete({ id: 'c', severity: 'P1', acknowledgedAt: at(45) }),
    ]);
    expect(rows.map((r) => [r.severity, r.incidents])).toEqual([['P0', 1], ['P1', 2], ['P2', 0], ['P3', 0], ['all', 3]]);
    const p1 = rows[1]!.metrics;
    expect(p1.ttd).toEqual({ count: 1, leftOut: 1, median: 10 * MIN, p90: 10 * MIN });
    expect(p1.tta).toEqual({ count: 2, leftOut: 0, median: 5 * MIN, p90: 45 * MIN });
    expect(rows[2]!.metrics.ttr).toEqual({ count: 0, leftOut: 0, median: null, p90: null });
    expect(rows[4]!.metrics.ttd).toEqual({ count: 2, leftOut: 1, median: 10 * MIN, p90: 10 * MIN });
  });
});

describe('window membership: detected within [now − N days, now]', () => {
  const now = at(0) + 30 * DAY;
  const range = metricRange(30, now);

  it.each<[string, Partial<Incident>, IncidentUpdate[] | undefined, boolean]>([
    ['detected exactly at the window start is in', { detectedAt: now - 30 * DAY }, undefined, true],
    ['detected 1 ms before the window start is out', { detectedAt: now - 30 * DAY - 1 }, undefined, false],
    ['detected exactly now is in', { detectedAt: now }, undefined, true],
    ['detected after now is out', { detectedAt: now + 1 }, undefined, false],
    ['started before the window, detected inside: in', { startedAt: now - 31 * DAY, detectedAt: now - 29 * DAY }, undefined, true],
    ['detected before the window, resolved inside: out', { detectedAt: now - 31 * DAY }, [update(0, 'investigating'), update(2 * 24 * 60, 'resolved')], false],
    ['no detected: the first update places it', { detectedAt: null }, [update(24 * 60, 'investigating')], true],
    ['no detected and no updates: in no window', { detectedAt: null }, [], false],
  ])('%s', (_name, extra, updates, expected) => {
    expect(inRange(incident(extra, updates), range)).toBe(expected);
  });
});

describe('response-target breach', () => {
  it.each<[string, Partial<Incident>, IncidentUpdate[] | undefined, number, boolean]>([
    ['P0 acknowledged exactly at 15 min is in time', { severity: 'P0', acknowledgedAt: at(15) }, undefined, at(600), false],
    ['P0 acknowledged 1 ms after 15 min is breached', { severity: 'P0', acknowledgedAt: at(15) + 1 }, undefined, at(600), true],
    ['P3 acknowledged exactly at 24 h is in time', { severity: 'P3', acknowledgedAt: at(1440) }, undefined, at(3000), false],
    ['open, not acknowledged, target not yet passed', { severity: 'P1' }, undefined, at(60), false],
    ['open, not acknowledged, target passed by 1 ms', { severity: 'P1' }, undefined, at(60) + 1, true],
    ['resolved unacknowledged before the target', { severity: 'P1' }, [update(0, 'investigating'), update(50, 'resolved')], at(600), false],
    ['resolved unacknowledged after the target', { severity: 'P1' }, [update(0, 'investigating'), update(61, 'resolved')], at(600), true],
  ])('%s', (_name, extra, updates, now, breached) => {
    expect(isResponseBreached(incident(extra, updates), now)).toBe(breached);
  });

  it('counts breaches per severity', () => {
    const now = at(600);
    expect(breachesBySeverity([
      incident({ id: 'a', severity: 'P0', acknowledgedAt: at(20) }),
      incident({ id: 'b', severity: 'P0', acknowledgedAt: at(10) }),
      incident({ id: 'c', severity: 'P2' }),
    ], now)).toEqual([
      { severity: 'P0', incidents: 2, breached: 1 },
      { severity: 'P1', incidents: 0, breached: 0 },
      { severity: 'P2', incidents: 1, breached: 1 },
      { severity: 'P3', incidents: 0, breached: 0 },
    ]);
  });
});

describe('falsePositiveRate', () => {
  it('is false positives over all incidents given', () => {
    const set = [incident({ id: 'a', falsePositive: true }), incident({ id: 'b' }), incident({ id: 'c' }), incident({ id: 'd' })];
    expect(falsePositiveRate(set)).toEqual({ count: 1, total: 4, rate: 0.25 });
  });
  it('is null without incidents', () => {
    expect(falsePositiveRate([])).toEqual({ count: 0, total: 0, rate: null });
  });
});

describe('postmortemDiscipline', () => {
  const resolvedAtMinute = 60;
  const resolved = at(resolvedAtMinute);
  const p = (id: string, extra: Partial<Incident> = {}): Incident =>
    incident({ id, severity: 'P1', ...extra }, [update(0, 'investigating'), update(resolvedAtMinute, 'resolved')]);

  it('counts published within 48 h (exactly 48 h included) as on time', () => {
    const published = new Map([['on', resolved + 48 * HOUR], ['late', resolved + 48 * HOUR + 1], ['early', resolved + HOUR]]);
    const r = postmortemDiscipline([p('on'), p('late'), p('early', { severity: 'P0' })], published, resolved + 72 * HOUR);
    expect(r).toEqual({ count: 2, total: 3, rate: 2 / 3, late: 1, pending: 0 });
  });

  it('counts a missing post-mortem as late once 48 h have passed, and as pending before', () => {
    const none = new Map<string, number>();
    expect(postmortemDiscipline([p('x')], none, resolved + 48 * HOUR)).toEqual({ count: 0, total: 0, rate: null, late: 0, pending: 1 });
    expect(postmortemDiscipline([p('x')], none, resolved + 48 * HOUR + 1)).toEqual({ count: 0, total: 1, rate: 0, late: 1, pending: 0 });
  });

  it('ignores P2/P3, false positives and open incidents', () => {
    const open = incident({ id: 'open', severity: 'P0' }, [update(0, 'investigating')]);
    const r = postmortemDiscipline([p('p2', { severity: 'P2' }), p('fp', { falsePositive: true }), open], new Map(), resolved + 100 * HOUR);
    expect(r).toEqual({ count: 0, total: 0, rate: null, late: 0, pending: 0 });
  });
});

describe('weekly buckets in the site zone (weeks start on Monday)', () => {
  it.each<[string, string, string]>([
    // BST starts Sunday 29 March 2026 at 01:00 UTC.
    ['2026-03-29T00:30:00Z', 'Europe/London', '2026-03-23'], // Sunday 00:30 GMT
    ['2026-03-29T23:30:00Z', 'Europe/London', '2026-03-30'], // Monday 00:30 BST
    ['2026-03-29T23:30:00Z', 'UTC', '2026-03-23'], // still Sunday in UTC
    // BST ends Sunday 25 October 2026 at 01:00 UTC.
    ['2026-10-18T23:30:00Z', 'Europe/London', '2026-10-19'], // Monday 00:30 BST
    ['2026-10-25T23:30:00Z', 'Europe/London', '2026-10-19'], // Sunday 23:30 GMT
    ['2026-10-26T00:00:00Z', 'Europe/London', '2026-10-26'], // Monday midnight GMT
    ['2026-11-20T10:00:00Z', 'America/Los_Angeles', '2026-11-16'],
  ])('%s in %s falls in the week of %s', (instant, zone, week) => {
    expect(weekKey(Date.parse(instant), zone)).toBe(week);
  });

  it('counts incidents by severity per week across the BST change, empty weeks included', () => {
    const tz = 'Europe/London';
    const range = { from: Date.parse('2026-03-20T12:00:00Z'), to: Date.parse('2026-04-02T12:00:00Z') };
    const weeks = weeklyCounts([
      incident({ id: 'sun', severity: 'P1', detectedAt: Date.parse('2026-03-29T00:30:00Z') }),
      incident({ id: 'mon-a', severity: 'P0', detectedAt: Date.parse('2026-03-29T23:30:00Z') }),
      incident({ id: 'mon-b', severity: 'P2', detectedAt: Date.parse('2026-03-29T23:30:00Z') }),
      incident({ id: 'before', severity: 'P2', detectedAt: Date.parse('2026-03-10T10:00:00Z') }),
    ], range, tz);
    expect(weeks).toEqual([
      { week: '2026-03-16', start: Date.parse('2026-03-16T00:00:00Z'), counts: { P0: 0, P1: 0, P2: 0, P3: 0 }, total: 0 },
      { week: '2026-03-23', start: Date.parse('2026-03-23T00:00:00Z'), counts: { P0: 0, P1: 1, P2: 0, P3: 0 }, total: 1 },
      // The BST week starts at local midnight, 23:00 UTC the evening before.
      { week: '2026-03-30', start: Date.parse('2026-03-29T23:00:00Z'), counts: { P0: 1, P1: 0, P2: 1, P3: 0 }, total: 2 },
    ]);
  });
});
