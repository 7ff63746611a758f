import { describe, expect, it } from 'vitest';
import {
  currentIncidentComponents,
  detectedAt,
  incidentDuration,
  incidentImpact,
  incidentIntervals,
  incidentStatus,
  isOpen,
  resolvedAt,
  sortUpdatesNewestFirst,
  startedAt,
} from '../../../src/lib/status/incident.ts';
import type { Incident, IncidentUpdate } from '../../../src/lib/status/types.ts';
import type { IncidentStatus } from '../../../src/lib/status/vocabulary.ts';

const t = (hhmm: string): number => Date.parse(`2026-11-20T${hhmm}:00Z`);
const now = t('12:00');

function update(at: string, status: IncidentStatus, components: IncidentUpdate['components'] = null): IncidentUpdate {
  return { id: `u-${at}-${status}`, at: t(at), status, message: `${status} at ${at}`, components };
}

/** Updates are given oldest first, as in a file, and stored newest first. */
function incident(oldestFirst: IncidentUpdate[], extra: Partial<Incident> = {}): Incident {
  return {
    id: 'inc',
    source: 'file',
    title: 'API errors',
    severity: 'P1',
    impactOverride: null,
    components: { api: 'major_outage' },
    startedAt: null,
    detectedAt: null,
    acknowledgedAt: null,
    mitigatedAt: null,
    falsePositive: false,
    repeatOf: null,
    updates: sortUpdatesNewestFirst(oldestFirst),
    body: '',
    ...extra,
  };
}

describe('sortUpdatesNewestFirst', () => {
  it('orders out-of-order updates newest first', () => {
    const input = [{ at: 2, n: 'b' }, { at: 3, n: 'c' }, { at: 1, n: 'a' }];
    expect(sortUpdatesNewestFirst(input).map((u) => u.n)).toEqual(['c', 'b', 'a']);
  });

  it('with equal times, the one written later in the file comes first', () => {
    const input = [{ at: 1, n: 'first' }, { at: 5, n: 'x' }, { at: 5, n: 'y' }, { at: 5, n: 'z' }];
    expect(sortUpdatesNewestFirst(input).map((u) => u.n)).toEqual(['z', 'y', 'x', 'first']);
  });

  it('does not reorder the input array', () => {
    const input = [{ at: 1 }, { at: 2 }];
    sortUpdatesNewestFirst(input);
    expect(input.map((u) => u.at)).toEqual([1, 2]);
  });
});

describe('incidentStatus / resolvedAt / isOpen', () => {
  it.each<[string, [string, IncidentStatus][], IncidentStatus, string | null]>([
    ['investigating only', [['10:00', 'investigating']], 'investigating', null],
    ['latest is monitoring', [['10:00', 'investigating'], ['10:30', 'identified'], ['11:00', 'monitoring']], 'monitoring', null],
    ['resolved once', [['10:00', 'investigating'], ['11:00', 'resolved']], 'resolved', '11:00'],
    ['two consecutive resolved: the earlier counts', [['10:00', 'investigating'], ['11:00', 'resolved'], ['11:20', 'resolved']], 'resolved', '11:00'],
    ['reopened after resolution', [['10:00', 'investigating'], ['11:00', 'resolved'], ['11:30', 'investigating']], 'investigating', null],
    ['re-resolved after reopening: the new resolution', [['10:00', 'investigating'], ['11:00', 'resolved'], ['11:30', 'investigating'], ['11:45', 'resolved']], 'resolved', '11:45'],
  ])('%s', (_name, ups, status, resolved) => {
    const inc = incident(ups.map(([at, s]) => update(at, s)));
    expect(incidentStatus(inc)).toBe(status);
    expect(resolvedAt(inc)).toBe(resolved === null ? null : t(resolved));
    expect(isOpen(inc)).toBe(resolved === null);
  });

  it('out-of-order updates in the file: status follows the latest time', () => {
    const inc = incident([update('11:00', 'resolved'), update('10:00', 'investigating')]);
    expect(incidentStatus(inc)).toBe('resolved');
    expect(resolvedAt(inc)).toBe(t('11:00'));
  });

  it('an incident without updates reads as investigating and open', () => {
    const inc = incident([]);
    expect(incidentStatus(inc)).toBe('investigating');
    expect(isOpen(inc)).toBe(true);
  });
});

describe('startedAt / detectedAt defaults', () => {
  const ups = [update('10:10', 'investigating'), update('11:00', 'resolved')];
  it.each<[string, Partial<Incident>, string, string]>([
    ['both given', { startedAt: t('09:50'), detectedAt: t('10:00') }, '09:50', '10:00'],
    ['only detected: started falls back to detected', { detectedAt: t('10:00') }, '10:00', '10:00'],
    ['neither: both fall back to the first update', {}, '10:10', '10:10'],
    ['only started: detected falls back to the first update', { startedAt: t('09:30') }, '09:30', '10:10'],
  ])('%s', (_name, extra, started, detected) => {
    const inc = incident(ups, extra);
    expect(startedAt(inc)).toBe(t(started));
    expect(detectedAt(inc)).toBe(t(detected));
  });

  it('no times and no updates → null start and null duration', () => {
    const inc = incident([]);
    expect(startedAt(inc)).toBeNull();
    expect(incidentDuration(inc, now)).toBeNull();
  });
});

describe('incidentDuration', () => {
  it('an open incident runs until now', () => {
    const inc = incident([update('10:00', 'investigating')], { startedAt: t('09:45') });
    expect(incidentDuration(inc, now)).toBe(t('12:00') - t('09:45'));
  });

  it('a resolved incident runs until its resolution, whatever now is', () => {
    const inc = incident([update('10:00', 'investigating'), update('11:13', 'resolved')]);
    expect(incidentDuration(inc, now)).toBe(73 * 60_000);
    expect(incidentDuration(inc, now + 86_400_000)).toBe(73 * 60_000);
  });
});

describe('incidentImpact', () => {
  it('derives from severity unless overridden', () => {
    expect(incidentImpact(incident([], { severity: 'P0' }))).toBe('critical');
    expect(incidentImpact(incident([], { severity: 'P0', impactOverride: 'minor' }))).toBe('minor');
  });
});

describe('currentIncidentComponents', () => {
  it('uses the latest update that sets components, else the incident’s own', () => {
    const base = incident([update('10:00', 'investigating')]);
    expect(currentIncidentComponents(base)).toEqual({ api: 'major_outage' });
    const changed = incident([
      update('10:00', 'investigating'),
      update('10:30', 'identified', { api: 'partial_outage' }),
      update('11:00', 'monitoring'),
    ]);
    expect(currentIncidentComponents(changed)).toEqual({ api: 'partial_outage' });
  });
});

describe('incidentIntervals', () => {
  it('a simple resolved incident covers start to resolution for each component', () => {
    const inc = incident([update('10:00', 'investigating'), update('11:00', 'resolved')], {
      startedAt: t('09:50'),
      components: { api: 'major_outage', web: 'degraded_performance' },
    });
    expect(incidentIntervals(inc, now)).toEqual([
      { componentId: 'api', start: t('09:50'), end: t('11:00'), status: 'major_outage' },
      { componentId: 'web', start: t('09:50'), end: t('11:00'), status: 'degraded_performance' },
    ]);
  });

  it('a false positive imposes nothing', () => {
    const inc = incident([update('10:00', 'investigating'), update('11:00', 'resolved')], { falsePositive: true });
    expect(incidentIntervals(inc, now)).toEqual([]);
  });

  it('updates carrying component maps change the status mid-incident', () => {
    const inc = incident([
      update('10:00', 'investigating'),
      update('10:30', 'identified', { api: 'partial_outage' }),
      update('11:00', 'monitoring', { api: 'degraded_performance' }),
      update('11:30', 'resolved'),
    ]);
    expect(incidentIntervals(inc, now)).toEqual([
      { componentId: 'api', start: t('10:00'), end: t('10:30'), status: 'major_outage' },
      { componentId: 'api', start: t('10:30'), end: t('11:00'), status: 'partial_outage' },
      { componentId: 'api', start: t('11:00'), end: t('11:30'), status: 'degraded_performance' },
    ]);
  });

  it('a component dropped from a later map stops being affected from then on', () => {
    const inc = incident([
      update('10:00', 'investigating'),
      update('10:20', 'identified', { web: 'partial_outage' }),
      update('10:40', 'resolved'),
    ], { components: { api: 'major_outage', web: 'major_outage' } });
    const api = incidentIntervals(inc, now).filter((i) => i.componentId === 'api');
    expect(api).toEqual([{ componentId: 'api', start: t('10:00'), end: t('10:20'), status: 'major_outage' }]);
  });

  it('while open, the interval ends at now', () => {
    const inc = incident([update('10:00', 'investigating')]);
    expect(incidentIntervals(inc, now)).toEqual([
      { componentId: 'api', start: t('10:00'), end: now, status: 'major_outage' },
    ]);
  });

  it('a reopened incident extends to now again', () => {
    const inc = incident([update('10:00', 'investigating'), update('10:30', 'resolved'), update('11:00', 'investigating')]);
    expect(incidentIntervals(inc, now)).toEqual([
      { componentId: 'api', start: t('10:00'), end: now, status: 'major_outage' },
    ]);
  });
});
