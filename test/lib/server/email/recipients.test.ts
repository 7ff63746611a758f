// Who gets what, and when markdown content calls for an email, with an injected clock.
import { describe, expect, it } from 'vitest';
import {
  affectedComponentIds, dueContentNotifications, incidentUpdateNotifies, notificationKey, subscriberWants, type NotifiableModel,
} from '../../../../src/lib/server/email/recipients.ts';
import type { Incident, IncidentUpdate, Maintenance, Postmortem } from '../../../../src/lib/status/types.ts';
import type { Severity } from '../../../../src/lib/status/vocabulary.ts';

const HOUR = 3_600_000;
const now = Date.parse('2026-11-20T12:00:00Z');

function update(id: string, at: number, status: IncidentUpdate['status'] = 'investigating', extra: Partial<IncidentUpdate> = {}): IncidentUpdate {
  return { id, at, status, message: status, components: null, ...extra };
}
function incident(id: string, severity: Severity, updates: IncidentUpdate[], source: Incident['source'] = 'file'): Incident {
  return {
    id, source, title: id, severity, impactOverride: null, components: { api: 'partial_outage' }, startedAt: null, detectedAt: null,
    acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates: [...updates].sort((a, b) => b.at - a.at),
  };
}
function model(parts: Partial<NotifiableModel>): NotifiableModel {
  const incidents = parts.incidents ?? [];
  return { incidents, incidentById: new Map(incidents.map((i) => [i.id, i])), maintenance: parts.maintenance ?? [], postmortems: parts.postmortems ?? [] };
}
const keys = (m: NotifiableModel, notified: string[] = [], at = now): string[] => dueContentNotifications(m, new Set(notified), at).map((d) => d.key);

describe('incidentUpdateNotifies', () => {
  it.each<[Severity, boolean | undefined, boolean]>([
    ['P0', undefined, true], ['P1', undefined, true], ['P2', undefined, false], ['P3', undefined, false],
    ['P1', false, false], ['P2', true, true], ['P3', true, true], ['P0', true, true],
  ])('%s with notify %s → %s', (severity, notify, expected) => {
    expect(incidentUpdateNotifies(severity, notify === undefined ? {} : { notify })).toBe(expected);
  });
});

describe('subscriberWants and affectedComponentIds', () => {
  it('subscribers of everything get every notification; others only for a component they chose', () => {
    expect(subscriberWants(null, ['api'])).toBe(true);
    expect(subscriberWants(null, [])).toBe(true);
    expect(subscriberWants(['api', 'docs'], ['api'])).toBe(true);
    expect(subscriberWants(['dashboard'], ['api'])).toBe(false);
    expect(subscriberWants(['dashboard'], [])).toBe(false);
  });

  it('counts every component an incident touched, at any update', () => {
    const i = incident('x', 'P1', [update('a', now, 'identified', { components: { dashboard: 'major_outage' } })]);
    expect(affectedComponentIds(i).sort()).toEqual(['api', 'dashboard']);
  });
});

describe('dueContentNotifications: markdown incidents', () => {
  it('several fresh unnotified P0/P1 updates go out in one email listing each of them, oldest first; every key is recorded', () => {
    const i = incident('api', 'P1', [update('u3', now - 30 * 60_000, 'monitoring'), update('u1', now - 2 * HOUR), update('u2', now - HOUR, 'identified')]);
    const due = dueContentNotifications(model({ incidents: [i] }), new Set(), now);
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ kind: 'incident', key: notificationKey.incidentUpdate('api', 'u3') });
    if (due[0]!.kind !== 'incident') throw new Error('not an incident');
    expect(due[0]!.update.id).toBe('u3');
    expect(due[0]!.carried.map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(due[0]!.covers.sort()).toEqual(['u1', 'u2', 'u3'].map((u) => notificationKey.incidentUpdate('api', u)));
  });

  it('an email lists only the updates not notified yet, and none that does not notify', () => {
    const i = incident('api', 'P1', [update('u1', now - 2 * HOUR), update('u2', now - HOUR, 'identified', { notify: false }), update('u3', now - 30 * 60_000, 'monitoring')]);
    const [due] = dueContentNotifications(model({ incidents: [i] }), new Set([notificationKey.incidentUpdate('api', 'u1')]), now);
    if (due?.kind !== 'incident') throw new Error('not an incident');
    expect(due.carried.map((u) => u.id)).toEqual(['u3']);
  });

  it('never notifies the same update twice, and notifies a new one', () => {
    const i = incident('api', 'P0', [update('u1', now - HOUR), update('u2', now - 10 * 60_000, 'resolved')]);
    expect(keys(model({ incidents: [i] }), [notificationKey.incidentUpdate('api', 'u1')])).toEqual([notificationKey.incidentUpdate('api', 'u2')]);
    expect(keys(model({ incidents: [i] }), [notificationKey.incidentUpdate('api', 'u1'), notificationKey.incidentUpdate('api', 'u2')])).toEqual([]);
  });

  it('is silent for history (24 hours or older), future-dated updates, P2/P3 and admin incidents', () => {
    expect(keys(model({ incidents: [incident('old', 'P0', [update('u', now - 24 * HOUR)])] }))).toEqual([]);
    expect(keys(model({ incidents: [incident('soon', 'P0', [update('u', now + 60_000)])] }))).toEqual([]);
    expect(keys(model({ incidents: [incident('minor', 'P2', [update('u', now - 60_000)])] }))).toEqual([]);
    expect(keys(model({ incidents: [incident('admin', 'P1', [update('u', now - 60_000)], 'admin')] }))).toEqual([]);
    expect(keys(model({ incidents: [incident('edge', 'P1', [update('u', now - 24 * HOUR + 1)])] }))).toEqual([notificationKey.incidentUpdate('edge', 'u')]);
  });
});

describe('dueContentNotifications: maintenance and post-mortems', () => {
  const m = (source: Maintenance['source'], start: number, end: number, updates: Maintenance['updates'] = []): Maintenance =>
    ({ id: `m-${source}`, source, title: 'DB', components: ['api'], scheduledStart: start, scheduledEnd: end, updates, body: '' });

  it('announces markdown maintenance while it is scheduled, once', () => {
    const file = m('file', now + 24 * HOUR, now + 26 * HOUR);
    expect(keys(model({ maintenance: [file] }))).toEqual([notificationKey.maintenance('m-file', 'scheduled')]);
    expect(keys(model({ maintenance: [file] }), [notificationKey.maintenance('m-file', 'scheduled')])).toEqual([]);
    expect(keys(model({ maintenance: [m('admin', now + HOUR, now + 2 * HOUR)] }))).toEqual([]);
  });

  it('announces any maintenance when the clock (or a posted update) starts it, not once it is over or long started', () => {
    const admin = m('admin', now - 5 * 60_000, now + HOUR);
    expect(keys(model({ maintenance: [admin] }))).toEqual([notificationKey.maintenance('m-admin', 'started')]);
    expect(keys(model({ maintenance: [admin] }), [], now - 10 * 60_000)).toEqual([]);
    expect(keys(model({ maintenance: [m('admin', now - 2 * HOUR, now - HOUR)] }))).toEqual([]);
    expect(keys(model({ maintenance: [m('admin', now - 30 * HOUR, now + HOUR)] }))).toEqual([]);
    const early = m('admin', now + HOUR, now + 2 * HOUR, [{ id: 's', at: now - 60_000, status: 'in_progress', message: 'Starting early' }]);
    expect(keys(model({ maintenance: [early] }))).toEqual([notificationKey.maintenance('m-admin', 'started')]);
  });

  it('announces a markdown post-mortem published less than 24 hours ago', () => {
    const i = incident('api', 'P1', [update('u', now - 48 * HOUR, 'resolved')]);
    const p = (publishedAt: number | null): Postmortem => ({ id: 'api', source: 'file', incidentId: 'api', title: 'PM', publishedAt, body: '' });
    expect(keys(model({ incidents: [i], postmortems: [p(now - HOUR)] }))).toEqual([notificationKey.postmortem('api')]);
    expect(keys(model({ incidents: [i], postmortems: [p(now - 30 * HOUR)] }))).toEqual([]);
    expect(keys(model({ incidents: [i], postmortems: [p(null)] }))).toEqual([]);
    expect(keys(model({ incidents: [i], postmortems: [p(now - HOUR)] }), [notificationKey.postmortem('api')])).toEqual([]);
  });
});
