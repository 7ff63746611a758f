import { describe, expect, it } from 'vitest';
import { sortUpdatesNewestFirst } from '../../../src/lib/status/incident.ts';
import {
  nextUpdateDue,
  postmortemDue,
  responseClock,
  responseTargetMs,
  UPDATE_INTERVAL_MS,
} from '../../../src/lib/status/response-clock.ts';
import type { Incident, IncidentUpdate } from '../../../src/lib/status/types.ts';
import type { IncidentStatus, Severity } from '../../../src/lib/status/vocabulary.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const t0 = Date.parse('2026-11-20T10:00:00Z');
const at = (minutes: number): number => t0 + minutes * MIN;

function update(minutes: number, status: IncidentStatus): IncidentUpdate {
  return { id: `u${minutes}${status}`, at: at(minutes), status, message: status, components: null };
}

/** Detected at t0 unless told otherwise; updates given oldest first. */
function incident(extra: Partial<Incident> = {}, oldestFirst: IncidentUpdate[] = []): Incident {
  return {
    id: 'inc', source: 'admin', title: 'API errors', severity: 'P1', impactOverride: null,
    components: { api: 'major_outage' }, startedAt: null, detectedAt: t0, acknowledgedAt: null,
    mitigatedAt: null, falsePositive: false, repeatOf: null,
    updates: sortUpdatesNewestFirst(oldestFirst), body: '', ...extra,
  };
}

describe('responseTargetMs', () => {
  it.each<[Severity, number]>([
    ['P0', 15 * MIN],
    ['P1', HOUR],
    ['P2', 4 * HOUR],
    ['P3', 24 * HOUR],
  ])('%s responds within %d ms', (severity, ms) => {
    expect(responseTargetMs(severity)).toBe(ms);
  });
});

describe('responseClock', () => {
  it.each<[string, Partial<Incident>, number, { breached: boolean; elapsedMs: number; remainingMs: number }]>([
    ['P0 just detected', { severity: 'P0' }, at(0), { breached: false, elapsedMs: 0, remainingMs: 15 * MIN }],
    ['P0 exactly at its target is in time', { severity: 'P0' }, at(15), { breached: false, elapsedMs: 15 * MIN, remainingMs: 0 }],
    ['P0 one ms after its target', { severity: 'P0' }, at(15) + 1, { breached: true, elapsedMs: 15 * MIN + 1, remainingMs: 0 }],
    ['P1 halfway', {}, at(30), { breached: false, elapsedMs: 30 * MIN, remainingMs: 30 * MIN }],
    ['P1 exactly at an hour', {}, at(60), { breached: false, elapsedMs: HOUR, remainingMs: 0 }],
    ['P1 one ms past an hour', {}, at(60) + 1, { breached: true, elapsedMs: HOUR + 1, remainingMs: 0 }],
    ['P2 at 4 h', { severity: 'P2' }, at(240), { breached: false, elapsedMs: 4 * HOUR, remainingMs: 0 }],
    ['P3 at 24 h + 1 ms', { severity: 'P3' }, at(1440) + 1, { breached: true, elapsedMs: 24 * HOUR + 1, remainingMs: 0 }],
    ['acknowledged in time, viewed much later', { acknowledgedAt: at(20) }, at(600), { breached: false, elapsedMs: 20 * MIN, remainingMs: 0 }],
    ['acknowledged exactly on target', { acknowledgedAt: at(60) }, at(600), { breached: false, elapsedMs: HOUR, remainingMs: 0 }],
    ['acknowledged late', { acknowledgedAt: at(61) }, at(600), { breached: true, elapsedMs: 61 * MIN, remainingMs: 0 }],
    ['acknowledged before detection counts as zero', { acknowledgedAt: at(-5) }, at(10), { breached: false, elapsedMs: 0, remainingMs: 0 }],
  ])('%s', (_name, extra, now, expected) => {
    const clock = responseClock(incident(extra), now);
    expect({ breached: clock.breached, elapsedMs: clock.elapsedMs, remainingMs: clock.remainingMs }).toEqual(expected);
  });

  it('reports detection, target and acknowledgement', () => {
    expect(responseClock(incident({ acknowledgedAt: at(61) }), at(90))).toEqual({
      detectedAt: t0, targetAt: at(60), elapsedMs: 61 * MIN, targetMs: HOUR,
      acknowledged: true, acknowledgedAt: at(61), breached: true, remainingMs: 0,
    });
  });

  it('falls back to the first update as detection', () => {
    const clock = responseClock(incident({ detectedAt: null }, [update(5, 'investigating')]), at(10));
    expect(clock.detectedAt).toBe(at(5));
    expect(clock.targetAt).toBe(at(65));
    expect(clock.acknowledged).toBe(false);
  });

  it.each<[string, number, boolean]>([
    ['resolved in time without an acknowledgement is not breached', 40, false],
    ['resolved late without an acknowledgement is breached', 70, true],
  ])('%s', (_name, resolvedMinute, breached) => {
    const inc = incident({}, [update(0, 'investigating'), update(resolvedMinute, 'resolved')]);
    expect(responseClock(inc, at(2000)).breached).toBe(breached);
  });

  it('has no target without a detection time', () => {
    expect(responseClock(incident({ detectedAt: null }), at(90))).toEqual({
      detectedAt: null, targetAt: null, elapsedMs: 0, targetMs: HOUR,
      acknowledged: false, acknowledgedAt: null, breached: false, remainingMs: HOUR,
    });
  });
});

describe('nextUpdateDue', () => {
  it('is every 15 minutes', () => {
    expect(UPDATE_INTERVAL_MS).toBe(15 * MIN);
  });

  it.each<[string, IncidentUpdate[], number, { dueAt: number; overdue: boolean; overdueByMs: number }]>([
    ['15 min after detection with no updates', [], at(5), { dueAt: at(15), overdue: false, overdueByMs: 0 }],
    ['exactly at the due time is not overdue', [], at(15), { dueAt: at(15), overdue: false, overdueByMs: 0 }],
    ['one ms later is overdue by 1 ms', [], at(15) + 1, { dueAt: at(15), overdue: true, overdueByMs: 1 }],
    ['15 min after the latest update', [update(0, 'investigating'), update(20, 'identified')], at(30), { dueAt: at(35), overdue: false, overdueByMs: 0 }],
    ['overdue by 12 minutes', [update(0, 'investigating'), update(20, 'identified')], at(47), { dueAt: at(35), overdue: true, overdueByMs: 12 * MIN }],
    ['a reopened incident is due again', [update(0, 'investigating'), update(10, 'resolved'), update(30, 'investigating')], at(40), { dueAt: at(45), overdue: false, overdueByMs: 0 }],
  ])('%s', (_name, updates, now, expected) => {
    expect(nextUpdateDue(incident({}, updates), now)).toEqual(expected);
  });

  it('uses the latest update even when updates are out of order', () => {
    const inc = incident({ updates: [update(5, 'investigating'), update(25, 'identified')] });
    expect(nextUpdateDue(inc, at(30))?.dueAt).toBe(at(40));
  });

  it.each<[string, Incident]>([
    ['resolved', incident({}, [update(0, 'investigating'), update(30, 'resolved')])],
    ['no time at all', incident({ detectedAt: null })],
  ])('is null when %s', (_name, inc) => {
    expect(nextUpdateDue(inc, at(500))).toBeNull();
  });
});

describe('postmortemDue', () => {
  const resolved = (severity: Severity, extra: Partial<Incident> = {}): Incident =>
    incident({ severity, ...extra }, [update(0, 'investigating'), update(98, 'resolved')]);
  const dueAt = at(98) + 48 * HOUR;

  it.each<[string, Incident, boolean, number, { dueAt: number; overdue: boolean } | null]>([
    ['P1, 48 h after resolution exactly', resolved('P1'), false, dueAt, { dueAt, overdue: false }],
    ['P1, one ms past 48 h, unpublished', resolved('P1'), false, dueAt + 1, { dueAt, overdue: true }],
    ['P0, a day late but published', resolved('P0'), true, dueAt + 24 * HOUR, { dueAt, overdue: false }],
    ['P0, just resolved', resolved('P0'), false, at(99), { dueAt, overdue: false }],
    ['P2 needs none', resolved('P2'), false, dueAt + 1, null],
    ['P3 needs none', resolved('P3'), false, dueAt + 1, null],
    ['an open P0 is not due yet', incident({ severity: 'P0' }, [update(0, 'investigating')]), false, dueAt + 1, null],
    ['a false positive needs none', resolved('P0', { falsePositive: true }), false, dueAt + 1, null],
  ])('%s', (_name, inc, published, now, expected) => {
    expect(postmortemDue(inc, published, now)).toEqual(expected);
  });
});
