// The runbook's P0/P1 escalation path, and which of its steps have fallen due for an incident.
import { detectedAt, resolvedAt } from './incident.ts';
import type { Incident } from './types.ts';

/** Who is told, in order, and how long after detection ("P0/P1 Escalation Path"). */
export const escalationRoles = [
  { id: 'on_call', label: 'On-call engineer', afterMinutes: 0 },
  { id: 'engineering_manager', label: 'Engineering manager', afterMinutes: 30 },
  { id: 'vp_engineering', label: 'VP Engineering', afterMinutes: 60 },
  { id: 'cto', label: 'CTO', afterMinutes: 120 },
] as const;
/** 'on_call' | 'engineering_manager' | 'vp_engineering' | 'cto'. */
export type EscalationRole = (typeof escalationRoles)[number]['id'];

/** A notification someone recorded; `role` is free text, matched against the role ids. */
export interface EscalationRecord {
  role: string;
  notifiedWho: string;
  notifiedAt: number;
}

/** One step of the path for an incident at a given moment. */
export interface EscalationStep {
  role: EscalationRole;
  label: string;
  dueAt: number;
  /** The step's time has come while the incident was still open. */
  due: boolean;
  /** The earliest notification recorded for the role. */
  record: { notifiedWho: string; notifiedAt: number } | null;
  overdue: boolean;
}

/**
 * The escalation path of a P0/P1 incident at `now`, timed from detection; a data breach takes it to the
 * CTO at once. A step whose time comes after resolution never falls due. null for P2/P3, or with no detection time.
 */
export function escalationSteps(
  incident: Incident,
  records: readonly EscalationRecord[],
  now: number,
  options: { dataBreach?: boolean } = {},
): EscalationStep[] | null {
  if (incident.severity !== 'P0' && incident.severity !== 'P1') return null;
  const detected = detectedAt(incident);
  if (detected === null) return null;
  const resolved = resolvedAt(incident);
  return escalationRoles.map((role): EscalationStep => {
    const afterMinutes = role.id === 'cto' && options.dataBreach ? 0 : role.afterMinutes;
    const dueAt = detected + afterMinutes * 60_000;
    const due = now >= dueAt && (resolved === null || dueAt < resolved);
    let record: EscalationStep['record'] = null;
    for (const r of records) {
      if (r.role === role.id && (record === null || r.notifiedAt < record.notifiedAt)) {
        record = { notifiedWho: r.notifiedWho, notifiedAt: r.notifiedAt };
      }
    }
    return { role: role.id, label: role.label, dueAt, due, record, overdue: due && record === null };
  });
}
