// Statuspage's incident fields mapped to ours: statuses, impact → severity, components map, notifications.
import { describe, expect, it } from 'vitest';
import { affectedComponents, booleanField, FieldError, notifyChoiceFor, readIncidentWrite, severityFor } from '../../../../../src/lib/server/api/manage/incident-fields.ts';

const known = ['api', 'dashboard', 'docs'];

describe('readIncidentWrite', () => {
  it('reads every field Statuspage documents for a create', () => {
    expect(readIncidentWrite({
      name: 'Checkout errors', status: 'identified', impact_override: 'major', body: 'Bad deploy.',
      components: { api: 'partial_outage' }, component_ids: ['api', 'docs'], deliver_notifications: 'false',
    }, known)).toEqual({
      name: 'Checkout errors', status: 'identified', impactOverride: 'major', body: 'Bad deploy.',
      components: { api: 'partial_outage' }, componentIds: ['api', 'docs'], deliverNotifications: false,
    });
  });
  it.each([
    [{ status: 'postmortem' }, 'incident[status]'],
    [{ impact_override: 'huge' }, 'incident[impact_override]'],
    [{ components: { nope: 'major_outage' } }, 'incident[components][nope]'],
    [{ components: { api: 'broken' } }, 'incident[components][api]'],
    [{ component_ids: ['nope'] }, 'incident[component_ids]'],
    [{ deliver_notifications: 'maybe' }, 'incident[deliver_notifications]'],
    [{ name: { a: '1' } }, 'incident[name]'],
  ])('%j is refused naming %s', (input, field) => {
    let caught: unknown;
    try {
      readIncidentWrite(input, known);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FieldError);
    expect((caught as FieldError).field).toBe(field);
  });
  it('reads components given as a list of ids as component_ids', () => {
    expect(readIncidentWrite({ components: ['api'], component_ids: ['docs'] }, known)).toEqual({ componentIds: ['docs', 'api'] });
  });
});

describe('affectedComponents', () => {
  it.each([
    [{ components: { api: 'major_outage' as const } }, { api: 'major_outage' }],
    [{ componentIds: ['api', 'docs'] }, { api: 'degraded_performance', docs: 'degraded_performance' }],
    [{ componentIds: ['api'], components: { api: 'partial_outage' as const } }, { api: 'partial_outage' }],
    [{ componentIds: ['api'], components: { api: 'operational' as const } }, {}],
    [{}, {}],
  ])('%j → %j', (input, expected) => expect(affectedComponents(input)).toEqual(expected));
  it('refuses under_maintenance', () => expect(() => affectedComponents({ components: { api: 'under_maintenance' } })).toThrow(FieldError));
});

describe('severityFor', () => {
  it.each([
    ['critical', {}, 'P0'],
    ['major', {}, 'P1'],
    ['minor', { api: 'major_outage' }, 'P2'],
    ['none', {}, 'P3'],
    [undefined, { api: 'major_outage', docs: 'degraded_performance' }, 'P1'],
    [undefined, { api: 'partial_outage' }, 'P2'],
    [undefined, { api: 'degraded_performance' }, 'P3'],
    [undefined, {}, 'P3'],
  ] as const)('impact %s, components %j → %s', (impact, components, severity) => expect(severityFor(impact, components)).toBe(severity));
});

describe('notifications', () => {
  it.each([[undefined, 'auto'], [true, 'yes'], [false, 'no']] as const)('deliver_notifications %s → %s', (deliver, choice) => expect(notifyChoiceFor(deliver)).toBe(choice));
  it.each([[true, true], ['true', true], ['1', true], [false, false], ['false', false], ['0', false], [undefined, undefined], ['', undefined]] as const)('%j → %j', (v, out) => expect(booleanField(v, 'f')).toBe(out));
});
