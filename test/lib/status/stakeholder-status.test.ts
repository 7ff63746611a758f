// The runbook's three email statuses beside the page's four.
import { describe, expect, it } from 'vitest';
import { stakeholderStatus, stakeholderStatusLabel } from '../../../src/lib/status/stakeholder-status.ts';
import { incidentStatuses, type IncidentStatus } from '../../../src/lib/status/vocabulary.ts';

describe('stakeholder status', () => {
  it.each<[IncidentStatus, string, string]>([
    ['investigating', 'Investigating', 'Investigating'],
    ['identified', 'Mitigating', 'Mitigating — cause identified'],
    ['monitoring', 'Mitigating', 'Mitigating — monitoring a fix'],
    ['resolved', 'Resolved', 'Resolved'],
  ])('%s → %s, shown as "%s"', (page, runbook, label) => {
    expect(stakeholderStatus(page)).toBe(runbook);
    expect(stakeholderStatusLabel(page)).toBe(label);
  });

  it('no two page statuses read the same in an email', () => {
    expect(new Set(incidentStatuses.map(stakeholderStatusLabel)).size).toBe(incidentStatuses.length);
  });
});
