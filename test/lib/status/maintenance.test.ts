import { describe, expect, it } from 'vitest';
import {
  clockMaintenanceStatus,
  isMaintenanceActive,
  maintenanceInterval,
  maintenanceStatus,
} from '../../../src/lib/status/maintenance.ts';
import { sortUpdatesNewestFirst } from '../../../src/lib/status/incident.ts';
import type { Maintenance, MaintenanceUpdate } from '../../../src/lib/status/types.ts';
import type { MaintenanceStatus } from '../../../src/lib/status/vocabulary.ts';

const t = (hhmm: string): number => Date.parse(`2026-11-20T${hhmm}:00Z`);

function update(at: string, status: MaintenanceStatus): MaintenanceUpdate {
  return { id: `m-${at}`, at: t(at), status, message: status };
}

/** A window 10:00–12:00; updates given oldest first, stored newest first. */
function maint(oldestFirst: MaintenanceUpdate[] = []): Maintenance {
  return {
    id: 'db-upgrade',
    source: 'file',
    title: 'Database upgrade',
    components: ['api'],
    scheduledStart: t('10:00'),
    scheduledEnd: t('12:00'),
    updates: sortUpdatesNewestFirst(oldestFirst),
    body: '',
  };
}

describe('clockMaintenanceStatus', () => {
  it.each<[string, MaintenanceStatus]>([
    ['09:59', 'scheduled'],
    ['10:00', 'in_progress'],
    ['11:59', 'in_progress'],
    ['12:00', 'completed'],
    ['18:00', 'completed'],
  ])('at %s the clock says %s', (at, expected) => {
    expect(clockMaintenanceStatus(maint(), t(at))).toBe(expected);
  });
});

describe('maintenanceStatus', () => {
  it.each<[string, [string, MaintenanceStatus][], string, MaintenanceStatus]>([
    ['no updates, before the window', [], '09:00', 'scheduled'],
    ['no updates, during the window', [], '11:00', 'in_progress'],
    ['no updates, after the window', [], '12:30', 'completed'],
    ['posted in_progress before the window starts it early', [['09:40', 'in_progress']], '09:45', 'in_progress'],
    ['posted verifying during the window advances it', [['10:00', 'in_progress'], ['11:00', 'verifying']], '11:10', 'verifying'],
    ['a future-dated update does not count yet', [['11:30', 'verifying']], '11:00', 'in_progress'],
    ['a future-dated completion does not end it yet', [['11:30', 'completed']], '11:00', 'in_progress'],
    ['the future-dated update counts once its time has come', [['11:30', 'verifying']], '11:30', 'verifying'],
    ['completed posted early ends it', [['10:00', 'in_progress'], ['10:45', 'completed']], '11:00', 'completed'],
    ['a posted status never moves it backwards (scheduled during the window)', [['09:00', 'scheduled']], '11:00', 'in_progress'],
    ['after the window it is completed even if the last post was in_progress', [['10:00', 'in_progress']], '12:30', 'completed'],
  ])('%s', (_name, ups, at, expected) => {
    const m = maint(ups.map(([a, s]) => update(a, s)));
    expect(maintenanceStatus(m, t(at))).toBe(expected);
  });
});

describe('isMaintenanceActive', () => {
  it.each<[string, [string, MaintenanceStatus][], string, boolean]>([
    ['before the window', [], '09:59', false],
    ['in the window', [], '10:00', true],
    ['verifying', [['11:00', 'verifying']], '11:05', true],
    ['completed early', [['10:30', 'completed']], '10:31', false],
    ['after the window', [], '12:00', false],
    ['started early by a posted update', [['09:30', 'in_progress']], '09:31', true],
  ])('%s → %s', (_name, ups, at, expected) => {
    const m = maint(ups.map(([a, s]) => update(a, s)));
    expect(isMaintenanceActive(m, t(at))).toBe(expected);
  });
});

describe('maintenanceInterval', () => {
  it('without updates it is the scheduled window', () => {
    expect(maintenanceInterval(maint())).toEqual({ start: t('10:00'), end: t('12:00') });
  });

  it('is cut short by a posted completion', () => {
    const m = maint([update('10:00', 'in_progress'), update('10:40', 'completed')]);
    expect(maintenanceInterval(m)).toEqual({ start: t('10:00'), end: t('10:40') });
  });

  it('starts early when work was posted as in progress before the window', () => {
    const m = maint([update('09:30', 'in_progress'), update('11:00', 'completed')]);
    expect(maintenanceInterval(m)).toEqual({ start: t('09:30'), end: t('11:00') });
  });

  it('never ends before it starts', () => {
    const m = maint([update('09:00', 'completed')]);
    const { start, end } = maintenanceInterval(m);
    expect(end).toBeGreaterThanOrEqual(start);
  });
});
