// The runbook's clock, as reminders to the on-call team: a public update coming due (15-minute cadence) and the
// P0/P1 escalation steps falling due (30 min, 1 h, 2 h). Pure: the caller gives the incidents, records and clock.
import { escalationSteps, type EscalationRecord } from './escalation.ts';
import { isOpen } from './incident.ts';
import { nextUpdateDue } from './response-clock.ts';
import type { Incident } from './types.ts';

/** A public update is announced this long before it is due. */
export const UPDATE_REMINDER_LEAD_MS = 2 * 60_000;
/** An incident whose last update is older than this is not being worked on the clock any more: no reminders. */
export const REMINDER_HORIZON_MS = 24 * 3_600_000;

export type ReminderKind = 'update_due' | 'escalation_due';

export interface Reminder {
  /** Once per due time: the same key is never sent twice. */
  key: string;
  kind: ReminderKind;
  incidentId: string;
  /** When the thing reminded of is due. */
  dueAt: number;
  /** When the reminder goes out (for an update, two minutes before it is due). */
  remindAt: number;
  /** For an escalation: the role to tell. */
  role: string | null;
  roleLabel: string | null;
}

/** Every reminder an incident calls for, sent or not, ordered by when it goes out. */
function remindersOf(incident: Incident, records: readonly EscalationRecord[], now: number): Reminder[] {
  if (!isOpen(incident) || incident.updates.length === 0) return [];
  const latest = Math.max(...incident.updates.map((u) => u.at));
  if (now - latest > REMINDER_HORIZON_MS) return [];
  const out: Reminder[] = [];
  const due = nextUpdateDue(incident, now);
  if (due) {
    out.push({
      key: `reminder:update:${incident.id}:${due.dueAt}`, kind: 'update_due', incidentId: incident.id,
      dueAt: due.dueAt, remindAt: due.dueAt - UPDATE_REMINDER_LEAD_MS, role: null, roleLabel: null,
    });
  }
  // The on-call engineer (at once) is the one being reminded; the later steps are theirs to carry out.
  const steps = escalationSteps(incident, records, now, { dataBreach: incident.dataBreach === true }) ?? [];
  for (const s of steps) {
    if (s.role === 'on_call' || s.record !== null) continue;
    out.push({
      key: `reminder:escalation:${incident.id}:${s.role}`, kind: 'escalation_due', incidentId: incident.id,
      dueAt: s.dueAt, remindAt: s.dueAt, role: s.role, roleLabel: s.label,
    });
  }
  return out;
}

/** The reminders whose time has come at `now` (the caller skips keys already sent). */
export function dueReminders(incidents: readonly Incident[], records: ReadonlyMap<string, readonly EscalationRecord[]>, now: number): Reminder[] {
  return incidents
    .flatMap((i) => remindersOf(i, records.get(i.id) ?? [], now))
    .filter((r) => r.remindAt <= now)
    .sort((a, b) => a.remindAt - b.remindAt || a.key.localeCompare(b.key));
}

/** When the next reminder not yet due goes out, or null when none is coming (nothing open). */
export function nextReminderAt(incidents: readonly Incident[], records: ReadonlyMap<string, readonly EscalationRecord[]>, now: number): number | null {
  let next: number | null = null;
  for (const i of incidents) {
    for (const r of remindersOf(i, records.get(i.id) ?? [], now)) {
      if (r.remindAt > now && (next === null || r.remindAt < next)) next = r.remindAt;
    }
  }
  return next;
}
