import { describe, expect, it } from 'vitest';
import { escalationRoles, escalationSteps, type EscalationRecord } from '../../../src/lib/status/escalation.ts';
import { sortUpdatesNewestFirst } from '../../../src/lib/status/incident.ts';
import type { Incident, IncidentUpdate } from '../../../src/lib/status/types.ts';
import type { IncidentStatus, Severity } from '../../../src/lib/status/vocabulary.ts';

const MIN = 60_000;
const t0 = Date.parse('2026-11-20T10:00:00Z');
const at = (minutes: number): number => t0 + minutes * MIN;

function update(minutes: number, status: IncidentStatus): IncidentUpdate {
  return { id: `u${minutes}`, at: at(minutes), status, message: status, components: null };
}

function incident(severity: Severity = 'P0', oldestFirst: IncidentUpdate[] = [update(0, 'investigating')], extra: Partial<Incident> = {}): Incident {
  return {
    id: 'inc', source: 'admin', title: 'API down', severity, impactOverride: null,
    components: { api: 'major_outage' }, startedAt: null, detectedAt: t0, acknowledgedAt: null,
    mitigatedAt: null, falsePositive: false, repeatOf: null,
    updates: sortUpdatesNewestFirst(oldestFirst), body: '', ...extra,
  };
}

/** "role:due/overdue" for each step, the way an admin reads the list. */
function summary(steps: ReturnType<typeof escalationSteps>): string[] | null {
  return steps?.map((s) => `${s.role}:${s.overdue ? 'overdue' : s.due ? 'due' : 'waiting'}`) ?? null;
}

describe('escalationRoles', () => {
  it('follows the runbook path in order', () => {
    expect(escalationRoles.map((r) => [r.label, r.afterMinutes])).toEqual([
      ['On-call engineer', 0],
      ['Engineering manager', 30],
      ['VP Engineering', 60],
      ['CTO', 120],
    ]);
  });
});

describe('escalationSteps', () => {
  it.each<[Severity, string, number, string[]]>([
    ['P0', '0 min', at(0), ['on_call:overdue', 'engineering_manager:waiting', 'vp_engineering:waiting', 'cto:waiting']],
    ['P0', '30 min − 1 ms', at(30) - 1, ['on_call:overdue', 'engineering_manager:waiting', 'vp_engineering:waiting', 'cto:waiting']],
    ['P0', '30 min', at(30), ['on_call:overdue', 'engineering_manager:overdue', 'vp_engineering:waiting', 'cto:waiting']],
    ['P1', '60 min − 1 ms', at(60) - 1, ['on_call:overdue', 'engineering_manager:overdue', 'vp_engineering:waiting', 'cto:waiting']],
    ['P1', '60 min', at(60), ['on_call:overdue', 'engineering_manager:overdue', 'vp_engineering:overdue', 'cto:waiting']],
    ['P1', '120 min − 1 ms', at(120) - 1, ['on_call:overdue', 'engineering_manager:overdue', 'vp_engineering:overdue', 'cto:waiting']],
    ['P1', '120 min', at(120), ['on_call:overdue', 'engineering_manager:overdue', 'vp_engineering:overdue', 'cto:overdue']],
  ])('%s at %s after detection', (severity, _label, now, expected) => {
    expect(summary(escalationSteps(incident(severity), [], now))).toEqual(expected);
  });

  it('times each step from detection', () => {
    const steps = escalationSteps(incident('P0'), [], at(0));
    expect(steps?.map((s) => [s.label, s.dueAt])).toEqual([
      ['On-call engineer', at(0)],
      ['Engineering manager', at(30)],
      ['VP Engineering', at(60)],
      ['CTO', at(120)],
    ]);
  });

  it('a recorded notification clears a due step, keeping the earliest one', () => {
    const records: EscalationRecord[] = [
      { role: 'engineering_manager', notifiedWho: 'Sam (second page)', notifiedAt: at(40) },
      { role: 'on_call', notifiedWho: 'Ada', notifiedAt: at(1) },
      { role: 'engineering_manager', notifiedWho: 'Sam', notifiedAt: at(31) },
      { role: 'someone else', notifiedWho: 'Bob', notifiedAt: at(2) },
    ];
    const steps = escalationSteps(incident('P0'), records, at(61));
    expect(summary(steps)).toEqual(['on_call:due', 'engineering_manager:due', 'vp_engineering:overdue', 'cto:waiting']);
    expect(steps?.[0]?.record).toEqual({ notifiedWho: 'Ada', notifiedAt: at(1) });
    expect(steps?.[1]?.record).toEqual({ notifiedWho: 'Sam', notifiedAt: at(31) });
    expect(steps?.[2]?.record).toBeNull();
  });

  it('a record made before its step was due is kept and the step is not overdue once due', () => {
    const steps = escalationSteps(incident('P0'), [{ role: 'cto', notifiedWho: 'Lin', notifiedAt: at(5) }], at(10));
    expect(steps?.[3]).toEqual({
      role: 'cto', label: 'CTO', dueAt: at(120), due: false,
      record: { notifiedWho: 'Lin', notifiedAt: at(5) }, overdue: false,
    });
  });

  it('a data breach takes it to the CTO immediately', () => {
    const steps = escalationSteps(incident('P1'), [], at(0), { dataBreach: true });
    expect(steps?.find((s) => s.role === 'cto')?.dueAt).toBe(at(0));
    expect(summary(steps)).toEqual(['on_call:overdue', 'engineering_manager:waiting', 'vp_engineering:waiting', 'cto:overdue']);
  });

  it.each<[string, IncidentUpdate[], number, string[]]>([
    ['resolved at 45 min: VP and CTO never fall due', [update(0, 'investigating'), update(45, 'resolved')], 500,
      ['on_call:overdue', 'engineering_manager:overdue', 'vp_engineering:waiting', 'cto:waiting']],
    ['resolved exactly at 60 min: the VP step never falls due', [update(0, 'investigating'), update(60, 'resolved')], 500,
      ['on_call:overdue', 'engineering_manager:overdue', 'vp_engineering:waiting', 'cto:waiting']],
    ['reopened after resolution: the clock counts from detection again', [update(0, 'investigating'), update(20, 'resolved'), update(50, 'investigating')], 65,
      ['on_call:overdue', 'engineering_manager:overdue', 'vp_engineering:overdue', 'cto:waiting']],
  ])('%s', (_name, updates, minute, expected) => {
    expect(summary(escalationSteps(incident('P0', updates), [], at(minute)))).toEqual(expected);
  });

  it.each<[string, Incident]>([
    ['P2', incident('P2')],
    ['P3', incident('P3')],
    ['no detection time', incident('P0', [], { detectedAt: null })],
  ])('is null for %s', (_name, inc) => {
    expect(escalationSteps(inc, [], at(500), { dataBreach: true })).toBeNull();
  });
});
