// The admin's incident page: the public view plus clocks, escalation and what the forms need.
import { escalationSteps, type EscalationRecord } from '../../../status/escalation.ts';
import { currentIncidentComponents, incidentStatus, isOpen, resolvedAt } from '../../../status/incident.ts';
import { messageTemplate } from '../../../status/runbook-templates.ts';
import { nextUpdateDue, responseClock } from '../../../status/response-clock.ts';
import { formatDuration } from '../../../status/time.ts';
import type { Incident } from '../../../status/types.ts';
import { incidentStatuses, type IncidentStatus } from '../../../status/vocabulary.ts';
import type { StatusModel } from '../../status-data/status-model.ts';
import { incidentView, timeView } from '../present.ts';
import type { IncidentView, TimeView } from '../view-types.ts';

export interface IncidentAdminView {
  incident: Incident;
  view: IncidentView;
  open: boolean;
  editable: boolean;
  clockText: string;
  breached: boolean;
  nextUpdate: { at: TimeView; overdue: boolean; text: string } | null;
  escalation: { role: string; label: string; due: boolean; overdue: boolean; dueAt: TimeView; record: { who: string; at: TimeView } | null }[] | null;
  /** One line for the folded escalation block: what is due, or how far along the path is. */
  escalationSummary: string | null;
  escalationOverdue: boolean;
  currentComponents: Record<string, string>;
  /** The status an update defaults to: the incident's own (investigating when reopening). */
  defaultStatus: IncidentStatus;
  /** The runbook's wording per status, for the update form. */
  templates: Record<IncidentStatus, string>;
  /** Some update set component statuses: a correction of the declared ones does not change those. */
  updatesSetComponents: boolean;
  otherIncidents: { id: string; title: string }[];
  postmortem: { exists: boolean; published: boolean; href: string } | null;
}

function escalationSummaryOf(steps: NonNullable<IncidentAdminView['escalation']>, acknowledged: boolean): { text: string; overdue: boolean } {
  // An acknowledged incident has its on-call engineer: only the later steps can still be due.
  const knows = (s: (typeof steps)[number]): boolean => s.record !== null || (s.role === 'on_call' && acknowledged);
  const told = steps.filter(knows).length;
  const overdue = steps.filter((s) => s.overdue && !knows(s));
  if (overdue.length > 0) return { text: `Due now: tell ${overdue.map((s) => s.label).join(', ')} (${told} of ${steps.length} told)`, overdue: true };
  const next = steps.find((s) => !knows(s) && !s.due);
  if (next) return { text: `Next: ${next.label} at ${next.dueAt.text} (${told} of ${steps.length} told)`, overdue: false };
  return { text: `${told} of ${steps.length} told`, overdue: false };
}

export function buildIncidentAdminView(model: StatusModel, incident: Incident, records: EscalationRecord[], now: number): IncidentAdminView {
  const tz = model.site.timezone;
  const clock = responseClock(incident, now);
  const due = nextUpdateDue(incident, now);
  const elapsed = formatDuration(clock.elapsedMs);
  const target = formatDuration(clock.targetMs);
  const clockText = clock.acknowledged
    ? `Acknowledged ${elapsed} after detection (target ${target})${clock.breached ? ': target missed' : ''}`
    : `Not acknowledged: ${elapsed} since detection (target ${target})${clock.breached ? ': target missed' : ''}`;
  const steps = escalationSteps(incident, records, now, { dataBreach: incident.dataBreach === true });
  const pm = model.postmortems.find((p) => p.incidentId === incident.id);
  const escalation: IncidentAdminView['escalation'] = steps?.map((s) => ({
    role: s.role, label: s.label, due: s.due, overdue: s.overdue, dueAt: timeView(s.dueAt, tz),
    record: s.record && { who: s.record.notifiedWho, at: timeView(s.record.notifiedAt, tz) },
  })) ?? null;
  const summary = escalation ? escalationSummaryOf(escalation, incident.acknowledgedAt !== null) : null;
  const open = isOpen(incident);
  return {
    incident,
    view: incidentView(model, incident, now),
    open,
    editable: incident.source === 'admin',
    clockText,
    breached: clock.breached,
    nextUpdate: due && { at: timeView(due.dueAt, tz), overdue: due.overdue, text: due.overdue ? `overdue by ${formatDuration(due.overdueByMs)}` : `in ${formatDuration(due.dueAt - now)}` },
    escalation,
    escalationSummary: summary?.text ?? null,
    escalationOverdue: summary?.overdue ?? false,
    currentComponents: currentIncidentComponents(incident),
    defaultStatus: open ? incidentStatus(incident) : 'investigating',
    templates: Object.fromEntries(incidentStatuses.map((s) => [s, messageTemplate(s)])) as Record<IncidentStatus, string>,
    updatesSetComponents: incident.updates.some((u) => u.components !== null),
    otherIncidents: model.incidents.filter((i) => i.id !== incident.id).slice(0, 200).map((i) => ({ id: i.id, title: i.title })),
    postmortem: resolvedAt(incident) === null && !pm ? null : { exists: pm !== undefined, published: pm?.publishedAt != null, href: `/admin/postmortems/${encodeURIComponent(incident.id)}` },
  };
}
