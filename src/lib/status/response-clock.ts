// How an incident stands against the runbook's clocks: the response target, 15-minute updates, the 48-hour post-mortem.
import { detectedAt, resolvedAt } from './incident.ts';
import type { Incident } from './types.ts';
import { severityLevels, type Severity } from './vocabulary.ts';

const MINUTE = 60_000;

/** "Update incident channel every 15 minutes." */
export const UPDATE_INTERVAL_MS = 15 * MINUTE;

/** "Post-Mortem (within 48 hours)" of resolution. */
export const POSTMORTEM_WINDOW_MS = 48 * 60 * MINUTE;

/** An incident against its severity's response target. */
export interface ResponseClock {
  detectedAt: number | null;
  targetAt: number | null;
  /** From detection to acknowledgement (to now while unacknowledged). */
  elapsedMs: number;
  targetMs: number;
  acknowledged: boolean;
  acknowledgedAt: number | null;
  breached: boolean;
  /** Time left before the target while the clock runs; 0 once it has stopped or run out. */
  remainingMs: number;
}

/** When the next public update is due, and how late it is. */
export interface UpdateDue {
  dueAt: number;
  overdue: boolean;
  overdueByMs: number;
}

/** When the post-mortem is due, and whether it is late. */
export interface PostmortemDue {
  dueAt: number;
  overdue: boolean;
}

/** The runbook's response target for a severity: P0 15 min, P1 1 h, P2 4 h, P3 24 h. */
export function responseTargetMs(severity: Severity): number {
  return severityLevels[severity].responseMinutes * MINUTE;
}

/**
 * Time from detection against the response target. The clock stops at acknowledgement, or at
 * resolution when none was recorded; exactly on the target is in time.
 */
export function responseClock(incident: Incident, now: number): ResponseClock {
  const targetMs = responseTargetMs(incident.severity);
  const detected = detectedAt(incident);
  const acknowledgedAt = incident.acknowledgedAt;
  const acknowledged = acknowledgedAt !== null;
  if (detected === null) {
    return {
      detectedAt: null, targetAt: null, elapsedMs: 0, targetMs, acknowledged, acknowledgedAt,
      breached: false, remainingMs: acknowledged ? 0 : targetMs,
    };
  }
  const targetAt = detected + targetMs;
  const stoppedAt = acknowledgedAt ?? resolvedAt(incident);
  const end = stoppedAt ?? now;
  return {
    detectedAt: detected,
    targetAt,
    elapsedMs: Math.max(0, end - detected),
    targetMs,
    acknowledged,
    acknowledgedAt,
    breached: end > targetAt,
    remainingMs: stoppedAt === null ? Math.max(0, targetAt - now) : 0,
  };
}

/** When the next public update is due: 15 minutes after the latest one (or after detection); null once resolved. */
export function nextUpdateDue(incident: Incident, now: number): UpdateDue | null {
  if (resolvedAt(incident) !== null) return null;
  let latest: number | null = null;
  for (const u of incident.updates) if (latest === null || u.at > latest) latest = u.at;
  const from = latest ?? detectedAt(incident);
  if (from === null) return null;
  const dueAt = from + UPDATE_INTERVAL_MS;
  return { dueAt, overdue: now > dueAt, overdueByMs: Math.max(0, now - dueAt) };
}

/** When a resolved P0/P1 incident's post-mortem is due (48 h after resolution); null when none is required. */
export function postmortemDue(incident: Incident, hasPublishedPostmortem: boolean, now: number): PostmortemDue | null {
  if (incident.severity !== 'P0' && incident.severity !== 'P1') return null;
  // A false positive had no impact to explain.
  if (incident.falsePositive) return null;
  const resolved = resolvedAt(incident);
  if (resolved === null) return null;
  const dueAt = resolved + POSTMORTEM_WINDOW_MS;
  return { dueAt, overdue: !hasPublishedPostmortem && now > dueAt };
}
