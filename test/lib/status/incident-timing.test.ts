// When an incident began and was resolved as of an update, and times said beside that update.
import { describe, expect, it } from 'vitest';
import { incidentStart, resolvedAsOf, timeAndDay, timeBeside } from '../../../src/lib/status/incident-timing.ts';
import type { IncidentUpdate } from '../../../src/lib/status/types.ts';

const t = (hhmm: string, day = '20'): number => Date.parse(`2026-11-${day}T${hhmm}:00Z`);
const u = (id: string, at: number, status: IncidentUpdate['status']): IncidentUpdate => ({ id, at, status, message: '', components: null });

describe('incidentStart', () => {
  const updates = [u('b', t('10:30'), 'identified'), u('a', t('10:05'), 'investigating')];
  it.each<[string, number | null, number | null, number]>([
    ['impact start first', t('09:50'), t('10:00'), t('09:50')],
    ['then detection', null, t('10:00'), t('10:00')],
    ['then the first update', null, null, t('10:05')],
  ])('%s', (_name, startedAt, detectedAt, expected) => {
    expect(incidentStart({ updates, startedAt, detectedAt }, updates[0]!)).toBe(expected);
  });

  it('an update being created counts as the first when there is none yet', () => {
    expect(incidentStart({ updates: [] }, u('new', t('10:05'), 'investigating'))).toBe(t('10:05'));
  });
});

describe('resolvedAsOf', () => {
  it('is the first of the resolved updates since the last open one', () => {
    const first = u('r1', t('11:15'), 'resolved');
    const note = u('r2', t('11:40'), 'resolved');
    const all = [note, first, u('i', t('10:30'), 'identified')];
    expect(resolvedAsOf(all, first)).toBe(t('11:15'));
    expect(resolvedAsOf(all, note)).toBe(t('11:15'));
    const reopened = [u('r3', t('13:00'), 'resolved'), u('x', t('12:00'), 'investigating'), ...all];
    expect(resolvedAsOf(reopened, reopened[0]!)).toBe(t('13:00'));
  });
});

describe('times beside an update', () => {
  it.each<[string, number, string, number, string]>([
    ['same day: the time alone', t('10:20'), 'Europe/London', t('10:05'), '10:20 GMT'],
    ['another day: with the date', t('00:05', '21'), 'Europe/London', t('23:50'), '00:05 GMT on 21 Nov 2026'],
    ['the day is the zone\'s', t('23:30'), 'Asia/Kolkata', t('10:00'), '05:00 IST on 21 Nov 2026'],
  ])('%s', (_name, instant, zone, reference, expected) => {
    expect(timeBeside(instant, zone, reference)).toBe(expected);
  });

  it('timeAndDay gives both', () => {
    expect(timeAndDay(t('10:05'), 'Europe/London')).toBe('10:05 GMT on 20 Nov 2026');
    expect(timeAndDay(Date.parse('2026-07-01T09:05:00Z'), 'Europe/London')).toBe('10:05 BST on 1 Jul 2026');
  });
});
