// Vendor payload builders as pure functions: short and very long events stay within each vendor's documented limits.
import { describe, expect, it } from 'vitest';
import type { ChannelEvent } from '../../../../src/lib/server/channels/channel-event.ts';
import { channelBody } from '../../../../src/lib/server/channels/channel-worker.ts';
import { clip } from '../../../../src/lib/server/channels/text-limits.ts';
import { vendorProblems, type Vendor } from '../../../helpers/channel-receiver.ts';

const event = (over: Partial<ChannelEvent> = {}): ChannelEvent => ({
  key: 'incident:api-errors:u1', kind: 'incident', siteName: 'Acme Cloud', baseUrl: 'https://status.acme.test', title: 'Elevated API error rates',
  status: 'Investigating', severity: 'P1', message: 'We are investigating.', impact: ['Public API: partial outage'], componentIds: ['api'],
  url: 'https://status.acme.test/incidents/api-errors', at: Date.UTC(2026, 11, 1, 10, 5), ...over,
});

const huge = event({ title: 'T'.repeat(5000), message: '😀'.repeat(9000), impact: Array.from({ length: 200 }, (_, i) => `Component ${i}: ${'x'.repeat(40)}`) });
const vendors: Vendor[] = ['webhook', 'slack', 'teams', 'discord'];

describe('channel payloads', () => {
  it.each(vendors.flatMap((v) => [[v, 'ordinary', event()], [v, 'huge', huge], [v, 'resolved', event({ status: 'Resolved' })], [v, 'maintenance', event({ kind: 'maintenance', status: 'scheduled', severity: null })], [v, 'confirm', event({ kind: 'confirm', impact: [], status: null, severity: null })], [v, 'component', event({ kind: 'component', componentChanges: [{ id: 'api', name: 'Public API', oldStatus: 'operational', newStatus: 'partial_outage' }] })]] as const))(
    '%s body for a %s event is valid for the vendor',
    (vendor, _label, e) => {
      expect(vendorProblems(vendor, JSON.parse(JSON.stringify(channelBody(vendor, e, 'sub1'))))).toEqual([]);
    },
  );

  it('maps the incident to Statuspage fields', () => {
    const b = channelBody('webhook', event({ status: 'Mitigating', severity: 'P2' }), 'sub1') as any;
    expect(b.incident).toMatchObject({ status: 'identified', impact: 'major', shortlink: 'https://status.acme.test/incidents/api-errors' });
    expect(b.page.status_indicator).toBe('major');
    expect(b.incident.incident_updates[0].body).toBe('We are investigating.');
  });

  it('a component event is a Statuspage component_update for webhooks', () => {
    const b = channelBody('webhook', event({ kind: 'component', componentChanges: [{ id: 'api', name: 'Public API', oldStatus: 'operational', newStatus: 'partial_outage' }] }), 'sub1') as any;
    expect(b.component_update).toMatchObject({ component_id: 'api', old_status: 'operational', new_status: 'partial_outage' });
    expect(b.component).toMatchObject({ id: 'api', name: 'Public API', status: 'partial_outage' });
    expect(b.incident).toBeUndefined();
  });

  it('cuts text on characters, not halves of emoji', () => {
    expect(clip('😀😀😀', 2)).toBe('😀…');
    expect(clip('abc', 3)).toBe('abc');
  });
});
