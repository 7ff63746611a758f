// Which component statuses an incident update changed: the webhook's component_update messages.
import { describe, expect, it } from 'vitest';
import { componentChanges } from '../../../../src/lib/server/channels/component-changes.ts';
import type { IncidentUpdate } from '../../../../src/lib/status/types.ts';

const u = (id: string, at: number, status: IncidentUpdate['status'], components: IncidentUpdate['components'] = null): IncidentUpdate => ({ id, at, status, message: id, components });
const names = new Map([['api', 'Public API'], ['dashboard', 'Dashboard']]);
const incident = (updates: IncidentUpdate[]) => ({ id: 'i', title: 'T', severity: 'P1' as const, components: { api: 'partial_outage' as const }, updates });

describe('componentChanges', () => {
  it.each([
    ['the first update: operational to the incident\'s status', [u('a', 1, 'investigating')], 'a', 'a', [{ id: 'api', name: 'Public API', oldStatus: 'operational', newStatus: 'partial_outage' }]],
    ['an update that changes nothing', [u('a', 1, 'investigating'), u('b', 2, 'identified')], 'b', 'b', []],
    ['an update that worsens one and adds another', [u('a', 1, 'investigating'), u('b', 2, 'identified', { api: 'major_outage', dashboard: 'degraded_performance' })], 'b', 'b',
      [{ id: 'api', name: 'Public API', oldStatus: 'partial_outage', newStatus: 'major_outage' }, { id: 'dashboard', name: 'Dashboard', oldStatus: 'operational', newStatus: 'degraded_performance' }]],
    ['the resolution: back to operational', [u('a', 1, 'investigating'), u('b', 2, 'resolved')], 'b', 'b', [{ id: 'api', name: 'Public API', oldStatus: 'partial_outage', newStatus: 'operational' }]],
    ['several updates carried together: from before the first', [u('a', 1, 'investigating'), u('b', 2, 'identified', { api: 'major_outage' }), u('c', 3, 'monitoring', { api: 'degraded_performance' })], 'a', 'c',
      [{ id: 'api', name: 'Public API', oldStatus: 'operational', newStatus: 'degraded_performance' }]],
  ] as const)('%s', (_label, updates, firstId, lastId, expected) => {
    const list = [...updates] as IncidentUpdate[];
    expect(componentChanges(incident(list), list.find((x) => x.id === firstId)!, list.find((x) => x.id === lastId)!, names)).toEqual(expected);
  });
});
