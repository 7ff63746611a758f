import { describe, expect, it } from 'vitest';
import { sortUpdatesNewestFirst } from '../../../src/lib/status/incident.ts';
import { postmortemTemplate } from '../../../src/lib/status/postmortem-template.ts';
import { findPlaceholders } from '../../../src/lib/status/runbook-templates.ts';
import type { Incident, IncidentUpdate } from '../../../src/lib/status/types.ts';
import type { IncidentStatus } from '../../../src/lib/status/vocabulary.ts';

const at = (iso: string): number => Date.parse(iso);
const later = at('2026-12-31T00:00:00Z');

function update(iso: string, status: IncidentStatus, message: string = status): IncidentUpdate {
  return { id: `u-${iso}`, at: at(iso), status, message, components: null };
}

function incident(extra: Partial<Incident>, oldestFirst: IncidentUpdate[]): Incident {
  return {
    id: 'inc', source: 'admin', title: 'API errors', severity: 'P1', impactOverride: null,
    components: { api: 'major_outage' }, startedAt: null, detectedAt: null, acknowledgedAt: null,
    mitigatedAt: null, falsePositive: false, repeatOf: null,
    updates: sortUpdatesNewestFirst(oldestFirst), body: '', ...extra,
  };
}

/** A P1 in November (London is on GMT): every step recorded. */
const november = incident(
  {
    startedAt: at('2026-11-20T09:50:00Z'),
    detectedAt: at('2026-11-20T09:55:00Z'),
    acknowledgedAt: at('2026-11-20T09:58:00Z'),
    mitigatedAt: at('2026-11-20T10:45:00Z'),
  },
  [
    update('2026-11-20T10:00:00Z', 'investigating', 'We are investigating reports of elevated API errors.\nUpdates will be provided every 15 minutes.'),
    update('2026-11-20T10:20:00Z', 'identified', 'We have identified the cause as a bad deploy.\nWorking on mitigation. ETA: 11:00'),
    update('2026-11-20T10:50:00Z', 'monitoring', '\n  A fix has been applied.  \nNext update in 15 minutes.'),
    update('2026-11-20T11:28:00Z', 'resolved', 'Issue has been resolved. All systems operational.'),
  ],
);

const lines = (body: string, heading: string): string[] => {
  const section = body.split('\n\n').find((s) => s.startsWith(heading)) ?? '';
  return section.split('\n');
};

describe('postmortemTemplate', () => {
  it('fills the runbook template from the incident', () => {
    const { title, body } = postmortemTemplate(november, 'Europe/London', later);
    expect(title).toBe('Incident Post-Mortem: 2026-11-20 - API errors');
    expect(body).toBe(`## Summary
- **Date**: 2026-11-20
- **Duration**: 1 h 38 min
- **Severity**: P1
- **Impact**: Number of users affected

## Timeline (GMT)
- 09:50 - Event occurred
- 09:55 - Alert triggered
- 09:58 - Engineer acknowledged
- 10:00 - Status update (Investigating): We are investigating reports of elevated API errors.
- 10:20 - Root cause identified
- 10:20 - Status update (Identified): We have identified the cause as a bad deploy.
- 10:45 - Mitigation applied
- 10:50 - Status update (Monitoring): A fix has been applied.
- 11:28 - Incident resolved
- 11:28 - Status update (Resolved): Issue has been resolved. All systems operational.

## Root Cause
Detailed explanation of what went wrong

## Impact
- Users affected: X
- Revenue impact: $X
- Downtime: 98 minutes

## Resolution
What fixed the issue

## Action Items
- [ ] Fix root cause (owner, deadline)
- [ ] Improve monitoring (owner, deadline)
- [ ] Update runbook (owner, deadline)
- [ ] Add automated tests (owner, deadline)

## Lessons Learned
What went well and what needs improvement
`);
  });

  it('leaves no bracket placeholders in a filled draft (the action-item boxes are not placeholders)', () => {
    expect(findPlaceholders(postmortemTemplate(november, 'UTC', later).body)).toEqual([]);
  });

  it('shows local times in BST during British summer time', () => {
    const summer = incident(
      { startedAt: at('2026-07-01T09:50:00Z'), detectedAt: at('2026-07-01T09:55:00Z') },
      [update('2026-07-01T10:20:00Z', 'identified', 'Bad deploy'), update('2026-07-01T11:28:00Z', 'resolved', 'Fixed')],
    );
    const { title, body } = postmortemTemplate(summer, 'Europe/London', later);
    expect(title).toBe('Incident Post-Mortem: 2026-07-01 - API errors');
    expect(lines(body, '## Timeline')).toEqual([
      '## Timeline (BST)',
      '- 10:50 - Event occurred',
      '- 10:55 - Alert triggered',
      '- --:-- - Engineer acknowledged (not recorded)',
      '- 11:20 - Root cause identified',
      '- 11:20 - Status update (Identified): Bad deploy',
      '- --:-- - Mitigation applied (not recorded)',
      '- 12:28 - Incident resolved',
      '- 12:28 - Status update (Resolved): Fixed',
    ]);
  });

  it('writes unrecorded steps in their runbook place: detection steps first, an open incident’s resolution last', () => {
    const open = incident({}, [update('2026-11-20T10:00:00Z', 'investigating', 'Looking'), update('2026-11-20T10:30:00Z', 'investigating', 'Still looking')]);
    const { body } = postmortemTemplate(open, 'UTC', at('2026-11-20T10:42:00Z'));
    expect(lines(body, '## Timeline')).toEqual([
      '## Timeline (UTC)',
      '- --:-- - Event occurred (not recorded)',
      '- --:-- - Alert triggered (not recorded)',
      '- --:-- - Engineer acknowledged (not recorded)',
      '- 10:00 - Status update (Investigating): Looking',
      '- 10:30 - Status update (Investigating): Still looking',
      '- --:-- - Root cause identified (not recorded)',
      '- --:-- - Mitigation applied (not recorded)',
      '- --:-- - Incident resolved (not recorded)',
    ]);
    expect(lines(body, '## Summary')[2]).toBe('- **Duration**: 42 min so far');
    expect(body).toContain('- Downtime: 42 minutes so far');
  });

  it('takes mitigation from the first monitoring update when no time was recorded', () => {
    const inc = incident({ detectedAt: at('2026-11-20T10:00:00Z') }, [
      update('2026-11-20T10:30:00Z', 'monitoring', 'Watching'),
      update('2026-11-20T10:40:00Z', 'monitoring', 'Still watching'),
      update('2026-11-20T10:41:00Z', 'resolved', ''),
    ]);
    const timeline = lines(postmortemTemplate(inc, 'UTC', later).body, '## Timeline');
    expect(timeline).toContain('- 10:30 - Mitigation applied');
    expect(timeline).toContain('- 10:41 - Status update (Resolved)');
    expect(postmortemTemplate(inc, 'UTC', later).body).toContain('- Downtime: 41 minutes');
  });

  it('shows dates for an incident that crosses midnight', () => {
    const overnight = incident(
      { startedAt: at('2026-11-20T23:50:00Z') },
      [update('2026-11-21T00:05:00Z', 'investigating', 'Looking'), update('2026-11-21T01:28:00Z', 'resolved', 'Fixed')],
    );
    const { title, body } = postmortemTemplate(overnight, 'Europe/London', later);
    expect(title).toBe('Incident Post-Mortem: 2026-11-20 - API errors');
    expect(lines(body, '## Timeline')).toEqual([
      '## Timeline (GMT)',
      '- 2026-11-20 23:50 - Event occurred',
      '- --:-- - Alert triggered (not recorded)',
      '- --:-- - Engineer acknowledged (not recorded)',
      '- 2026-11-21 00:05 - Status update (Investigating): Looking',
      '- --:-- - Root cause identified (not recorded)',
      '- --:-- - Mitigation applied (not recorded)',
      '- 2026-11-21 01:28 - Incident resolved',
      '- 2026-11-21 01:28 - Status update (Resolved): Fixed',
    ]);
    expect(lines(body, '## Summary')[2]).toBe('- **Duration**: 1 h 38 min');
  });

  it('dates the title by the local day impact began', () => {
    const inc = incident({ startedAt: at('2026-11-20T19:00:00Z') }, [update('2026-11-20T19:30:00Z', 'resolved', 'Fixed')]);
    expect(postmortemTemplate(inc, 'Asia/Kolkata', later).title).toBe('Incident Post-Mortem: 2026-11-21 - API errors');
    expect(postmortemTemplate(inc, 'America/Los_Angeles', later).title).toBe('Incident Post-Mortem: 2026-11-20 - API errors');
  });

  it('puts the zone on each time when the clocks change during the incident', () => {
    // London leaves BST at 01:00 UTC on 25 October 2026.
    const inc = incident({ startedAt: at('2026-10-25T00:30:00Z') }, [update('2026-10-25T01:30:00Z', 'resolved', 'Fixed')]);
    expect(lines(postmortemTemplate(inc, 'Europe/London', later).body, '## Timeline').slice(0, 2)).toEqual([
      '## Timeline',
      '- 01:30 BST - Event occurred',
    ]);
    expect(postmortemTemplate(inc, 'Europe/London', later).body).toContain('- 01:30 GMT - Incident resolved');
  });

  it.each<[string, Partial<Incident>, IncidentUpdate[], string]>([
    ['one minute', { startedAt: at('2026-11-20T10:00:00Z') }, [update('2026-11-20T10:01:00Z', 'resolved')], '- Downtime: 1 minute'],
    ['a false positive', { startedAt: at('2026-11-20T10:00:00Z'), falsePositive: true }, [update('2026-11-20T10:30:00Z', 'resolved')], '- Downtime: 0 minutes (false positive)'],
  ])('downtime for %s', (_name, extra, updates, expected) => {
    expect(postmortemTemplate(incident(extra, updates), 'UTC', later).body).toContain(expected);
  });

  it('keeps the runbook prompts when nothing was timed', () => {
    const { title, body } = postmortemTemplate(incident({ severity: 'P0' }, []), 'UTC', later);
    expect(title).toBe('Incident Post-Mortem: [Date] - API errors');
    expect(lines(body, '## Summary')).toEqual([
      '## Summary',
      '- **Date**: YYYY-MM-DD',
      '- **Duration**: X hours',
      '- **Severity**: P0',
      '- **Impact**: Number of users affected',
    ]);
    expect(lines(body, '## Timeline')[0]).toBe('## Timeline');
    expect(body).toContain('- Downtime: X minutes');
  });
});
