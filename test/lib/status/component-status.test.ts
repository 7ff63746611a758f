import { describe, expect, it } from 'vitest';
import {
  compareComponentStatus,
  currentComponentStatus,
  groupStatus,
  worstStatus,
  type ComponentStatusInputs,
} from '../../../src/lib/status/component-status.ts';
import type { ComponentStatus } from '../../../src/lib/status/vocabulary.ts';

const ordered: ComponentStatus[] = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];

describe('compareComponentStatus', () => {
  const pairs = ordered.slice(0, -1).map((better, i) => [better, ordered[i + 1]!] as const);

  it.each(pairs)('%s is better than %s', (better, worse) => {
    expect(compareComponentStatus(better, worse)).toBeLessThan(0);
    expect(compareComponentStatus(worse, better)).toBeGreaterThan(0);
  });

  it.each(ordered)('%s compares equal to itself', (s) => {
    expect(compareComponentStatus(s, s)).toBe(0);
  });

  it('sorting a shuffled list by it gives operational < maintenance < degraded < partial < major', () => {
    const shuffled: ComponentStatus[] = ['partial_outage', 'operational', 'major_outage', 'degraded_performance', 'under_maintenance'];
    expect([...shuffled].sort(compareComponentStatus)).toEqual(ordered);
  });
});

describe('worstStatus', () => {
  it.each<[ComponentStatus[], ComponentStatus]>([
    [[], 'operational'],
    [['operational'], 'operational'],
    [['operational', 'under_maintenance'], 'under_maintenance'],
    [['under_maintenance', 'degraded_performance'], 'degraded_performance'],
    [['major_outage', 'degraded_performance', 'partial_outage'], 'major_outage'],
    [['partial_outage', 'operational'], 'partial_outage'],
  ])('worst of %j is %s', (statuses, expected) => {
    expect(worstStatus(statuses)).toBe(expected);
  });

  it('accepts any iterable, e.g. a Set', () => {
    expect(worstStatus(new Set<ComponentStatus>(['degraded_performance', 'partial_outage']))).toBe('partial_outage');
  });
});

describe('currentComponentStatus', () => {
  it.each<[string, ComponentStatusInputs, ComponentStatus]>([
    ['baseline only (operational)', { baseline: 'operational', incidentStatuses: [], inMaintenance: false }, 'operational'],
    ['baseline only (degraded set by hand)', { baseline: 'degraded_performance', incidentStatuses: [], inMaintenance: false }, 'degraded_performance'],
    ['baseline worse than the incident', { baseline: 'major_outage', incidentStatuses: ['degraded_performance'], inMaintenance: false }, 'major_outage'],
    ['incident worse than the baseline', { baseline: 'degraded_performance', incidentStatuses: ['partial_outage'], inMaintenance: false }, 'partial_outage'],
    ['several incidents: the worst wins', { baseline: 'operational', incidentStatuses: ['degraded_performance', 'major_outage', 'partial_outage'], inMaintenance: false }, 'major_outage'],
    ['maintenance, no incident, operational baseline', { baseline: 'operational', incidentStatuses: [], inMaintenance: true }, 'under_maintenance'],
    ['maintenance + degraded incident: the incident is worse', { baseline: 'operational', incidentStatuses: ['degraded_performance'], inMaintenance: true }, 'degraded_performance'],
    ['maintenance + major incident', { baseline: 'operational', incidentStatuses: ['major_outage'], inMaintenance: true }, 'major_outage'],
    ['maintenance with a partial-outage baseline keeps the outage', { baseline: 'partial_outage', incidentStatuses: [], inMaintenance: true }, 'partial_outage'],
    ['baseline under_maintenance with no maintenance running', { baseline: 'under_maintenance', incidentStatuses: [], inMaintenance: false }, 'under_maintenance'],
  ])('%s', (_name, input, expected) => {
    expect(currentComponentStatus(input)).toBe(expected);
  });
});

describe('groupStatus', () => {
  it.each<[ComponentStatus[], ComponentStatus]>([
    [[], 'operational'],
    [['operational', 'operational'], 'operational'],
    [['operational', 'under_maintenance', 'operational'], 'under_maintenance'],
    [['operational', 'partial_outage', 'degraded_performance'], 'partial_outage'],
    [['major_outage', 'operational'], 'major_outage'],
  ])('members %j show as %s', (members, expected) => {
    expect(groupStatus(members)).toBe(expected);
  });
});
