import { describe, expect, it } from 'vitest';
import {
  alertComponents, alertSeverity, componentStatusFor, decideDelivery, defaultAlertingConfig as config, parseDuration, resolveIsDue, worstSeverity,
  type DeliveryFacts, type GroupState,
} from '../../../src/lib/status/alerting.ts';

const now = Date.parse('2026-12-04T10:00:00Z');
const facts = (f: Partial<DeliveryFacts> = {}): DeliveryFacts => ({ firing: 1, silenced: null, publish: 'auto', now, resolveAfterMs: 900_000, ...f });
const open = (status: 'investigating' | 'monitoring' | 'resolved', personPosted = false, resolveDueAt: number | null = null): GroupState =>
  ({ incident: { open: status !== 'resolved', status, personPosted }, resolveDueAt });
const none: GroupState = { incident: null, resolveDueAt: null };

describe('alert mapping', () => {
  it.each([
    ['15m', 900_000], ['2s', 2000], ['1h', 3_600_000], ['250ms', 250], ['1.5m', 90_000], ['15', null], ['m', null], ['-1s', null],
  ])('parseDuration(%s) = %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('maps severity labels to levels, unknown or missing to the default', () => {
    expect(alertSeverity(config, { severity: 'critical' })).toBe('P1');
    expect(alertSeverity(config, { severity: 'warning' })).toBe('P2');
    expect(alertSeverity(config, { severity: 'page-everyone' })).toBe('P3');
    expect(alertSeverity(config, {})).toBe('P3');
    expect(alertSeverity({ ...config, severity: { disaster: 'P0' } }, { severity: 'disaster' })).toBe('P0');
    expect(worstSeverity(config, [{ severity: 'info' }, { severity: 'critical' }, { severity: 'warning' }])).toBe('P1');
  });

  it('takes known components from the component label, once each, in order', () => {
    const known = new Set(['api', 'docs']);
    expect(alertComponents(config, [{ component: 'docs' }, { component: 'nope' }, { component: 'api' }, { component: 'docs' }, {}], known)).toEqual(['docs', 'api']);
    expect(alertComponents({ ...config, componentLabel: 'service' }, [{ service: 'api', component: 'docs' }], known)).toEqual(['api']);
  });

  it.each([['P0', 'major_outage'], ['P1', 'partial_outage'], ['P2', 'degraded_performance'], ['P3', 'degraded_performance']] as const)(
    '%s gives components %s', (s, status) => expect(componentStatusFor(s)).toBe(status));
});

describe('decideDelivery', () => {
  it.each<[string, GroupState, Partial<DeliveryFacts>, string]>([
    ['first firing opens an incident', none, {}, 'open'],
    ['a draft level keeps it for a person', none, { publish: 'draft' }, 'draft'],
    ['firing again while open changes nothing (redelivery)', open('investigating'), {}, 'none'],
    ['firing during the hold-down goes back to investigating (flapping)', open('monitoring', false, now + 1000), {}, 'investigating'],
    ['all resolved moves to monitoring', open('investigating'), { firing: 0 }, 'monitoring'],
    ['all resolved again while monitoring changes nothing', open('monitoring', false, now + 1000), { firing: 0 }, 'none'],
    ['resolved with no incident changes nothing', none, { firing: 0 }, 'none'],
    ['a person has posted: nothing automatic', open('investigating', true), { firing: 0 }, 'none'],
    ['a person has posted: no flapping either', open('monitoring', true, now), {}, 'none'],
    ['maintenance silences everything', none, { silenced: 'maintenance' }, 'none'],
    ['after the incident resolved, a new firing opens a new one', open('resolved'), {}, 'open'],
  ])('%s', (_name, state, f, kind) => expect(decideDelivery(state, facts(f)).kind).toBe(kind));

  it('the hold-down runs from now', () => {
    expect(decideDelivery(open('investigating'), facts({ firing: 0, resolveAfterMs: 2000 }))).toEqual({ kind: 'monitoring', resolveDueAt: now + 2000 });
  });
});

describe('resolveIsDue', () => {
  it.each<[string, GroupState, number, number, boolean]>([
    ['due, nothing firing', open('monitoring', false, now), 0, now, true],
    ['not due yet', open('monitoring', false, now + 1), 0, now, false],
    ['firing again', open('monitoring', false, now), 1, now, false],
    ['a person posted', open('monitoring', true, now), 0, now, false],
    ['already resolved', open('resolved', false, now), 0, now, false],
    ['no due time', open('monitoring'), 0, now, false],
  ])('%s', (_n, state, firing, at, due) => expect(resolveIsDue(state, firing, at)).toBe(due));
});
