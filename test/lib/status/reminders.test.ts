// The runbook's clock as reminders, with an injected clock: what is due at each moment, and when the next one is.
import { describe, expect, it } from 'vitest';
import type { EscalationRecord } from '../../../src/lib/status/escalation.ts';
import { sortUpdatesNewestFirst } from '../../../src/lib/status/incident.ts';
import { dueReminders, nextReminderAt, REMINDER_HORIZON_MS } from '../../../src/lib/status/reminders.ts';
import type { Incident, IncidentUpdate } from '../../../src/lib/status/types.ts';
import type { IncidentStatus, Severity } from '../../../src/lib/status/vocabulary.ts';

const MIN = 60_000;
const t0 = Date.parse('2026-11-20T10:00:00Z');
const at = (minutes: number): number => t0 + minutes * MIN;

function update(minutes: number, status: IncidentStatus = 'investigating'): IncidentUpdate {
  return { id: `u${minutes}`, at: at(minutes), status, message: status, components: null };
}

function incident(severity: Severity, oldestFirst: IncidentUpdate[], extra: Partial<Incident> = {}): Incident {
  return {
    id: `inc-${severity}`, source: 'admin', title: 'API down', severity, impactOverride: null,
    components: { api: 'major_outage' }, startedAt: null, detectedAt: t0, acknowledgedAt: null,
    mitigatedAt: null, falsePositive: false, repeatOf: null, updates: sortUpdatesNewestFirst(oldestFirst), body: '', ...extra,
  };
}

const none = new Map<string, EscalationRecord[]>();
const keys = (i: Incident[], now: number, records = none): string[] => dueReminders(i, records, now).map((r) => r.key.replace(`:${i[0]!.id}`, ''));

describe('dueReminders: the public update', () => {
  const p2 = [incident('P2', [update(0)])];

  it.each([
    [12, []],
    [12.99, []],
    [13, [`reminder:update:${at(15)}`]],
    [15, [`reminder:update:${at(15)}`]],
    [40, [`reminder:update:${at(15)}`]],
  ])('at +%s min after the last update: %j', (minutes, expected) => {
    expect(keys(p2, at(minutes))).toEqual(expected);
  });

  it('moves with each update: a new update makes a new due time with its own key', () => {
    const later = [incident('P2', [update(0), update(14, 'identified')])];
    expect(keys(later, at(27))).toEqual([`reminder:update:${at(29)}`]);
  });

  it('says nothing once resolved, before the first update, or after a day without updates', () => {
    expect(keys([incident('P2', [update(0), update(10, 'resolved')])], at(40))).toEqual([]);
    expect(dueReminders([incident('P2', [])], none, at(40))).toEqual([]);
    expect(dueReminders(p2, none, at(0) + REMINDER_HORIZON_MS + 1)).toEqual([]);
  });
});

describe('dueReminders: escalation (P0/P1)', () => {
  const p1 = [incident('P1', [update(0), update(14), update(28), update(42), update(56), update(70), update(84), update(98), update(112)])];

  it('reminds of each step as it falls due — 30 min, 1 h, 2 h — never of the on-call engineer', () => {
    const esc = (minutes: number): string[] => keys(p1, at(minutes)).filter((k) => k.startsWith('reminder:escalation'));
    expect(esc(29)).toEqual([]);
    expect(esc(30)).toEqual(['reminder:escalation:engineering_manager']);
    expect(esc(60)).toEqual(['reminder:escalation:engineering_manager', 'reminder:escalation:vp_engineering']);
    expect(esc(120)).toEqual(['reminder:escalation:engineering_manager', 'reminder:escalation:vp_engineering', 'reminder:escalation:cto']);
  });

  it('forgets a step once someone recorded telling that role', () => {
    const records = new Map([[p1[0]!.id, [{ role: 'engineering_manager', notifiedWho: 'Sam', notifiedAt: at(31) }]]]);
    expect(keys(p1, at(61), records).filter((k) => k.startsWith('reminder:escalation'))).toEqual(['reminder:escalation:vp_engineering']);
  });

  it('takes a data breach to the CTO at once', () => {
    const breach = [incident('P0', [update(0)], { dataBreach: true })];
    expect(keys(breach, at(1)).filter((k) => k.startsWith('reminder:escalation'))).toEqual(['reminder:escalation:cto']);
  });

  it('has no path for P2/P3', () => {
    expect(keys([incident('P3', [update(0)])], at(200)).filter((k) => k.startsWith('reminder:escalation'))).toEqual([]);
  });
});

describe('nextReminderAt', () => {
  it('is the earliest reminder still to come: the update two minutes early, or the next escalation step', () => {
    const p1 = [incident('P1', [update(0), update(20)])];
    expect(nextReminderAt(p1, none, at(21))).toBe(at(30)); // the engineering manager at 30 min
    expect(nextReminderAt(p1, none, at(30))).toBe(at(33)); // the update due at 35, reminded at 33
    expect(nextReminderAt(p1, none, at(33))).toBe(at(60));
  });

  it('is null with nothing open', () => {
    expect(nextReminderAt([incident('P1', [update(0), update(5, 'resolved')])], none, at(6))).toBeNull();
  });
});
