// The runbook's email statuses (Investigating / Mitigating / Resolved) beside the page's four, so neither misleads.
import type { IncidentStatus } from './vocabulary.ts';

/** The runbook's stakeholder statuses. */
export const stakeholderStatuses = ['Investigating', 'Mitigating', 'Resolved'] as const;
export type StakeholderStatus = (typeof stakeholderStatuses)[number];

/** Investigating → Investigating; identified and monitoring → Mitigating; resolved → Resolved. */
export function stakeholderStatus(status: IncidentStatus): StakeholderStatus {
  if (status === 'investigating') return 'Investigating';
  if (status === 'resolved') return 'Resolved';
  return 'Mitigating';
}

/** What the page's status adds where the runbook's word alone would hide it. */
const pageDetail: Record<IncidentStatus, string | null> = {
  investigating: null,
  identified: 'cause identified',
  monitoring: 'monitoring a fix',
  resolved: null,
};

/** The runbook's status, with the page's where they differ: "Mitigating — cause identified". */
export function stakeholderStatusLabel(status: IncidentStatus): string {
  const detail = pageDetail[status];
  return detail ? `${stakeholderStatus(status)} — ${detail}` : stakeholderStatus(status);
}
