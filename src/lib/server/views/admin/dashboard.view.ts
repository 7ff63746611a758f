// What the on-call engineer sees first: open incidents and their clocks, overdue post-mortems, components, bad files.
import { incidentStatus, resolvedAt } from '../../../status/incident.ts';
import type { Reminder } from '../../../status/reminders.ts';
import { nextUpdateDue, postmortemDue, responseClock } from '../../../status/response-clock.ts';
import { formatDuration } from '../../../status/time.ts';
import type { Incident } from '../../../status/types.ts';
import { incidentStatusLabels, severities, type Severity } from '../../../status/vocabulary.ts';
import type { ContentProblem } from '../../content/content-file.ts';
import { renderProblemFor } from '../../markdown/markdown-guard.ts';
import type { StatusModel } from '../../status-data/status-model.ts';
import { currentStatus } from '../current-status.ts';
import { statusLabel, timeView } from '../present.ts';
import type { TimeView } from '../view-types.ts';

export interface OpenIncidentRow {
  id: string;
  href: string;
  title: string;
  severity: Severity;
  source: 'file' | 'admin';
  statusLabel: string;
  sinceDetection: string;
  target: string;
  acknowledged: TimeView | null;
  breached: boolean;
  clockText: string;
  nextUpdate: { at: TimeView; overdue: boolean; text: string } | null;
}

/** One line of "Due now" at the top of the dashboard: the same reminders the admins are emailed. */
export interface DueNowRow {
  key: string;
  href: string;
  text: string;
  at: TimeView;
  overdue: boolean;
  when: string;
}

export interface DashboardView {
  dueNow: DueNowRow[];
  openBySeverity: { severity: Severity; incidents: OpenIncidentRow[] }[];
  openCount: number;
  postmortemsOverdue: { id: string; href: string; title: string; severity: Severity; resolved: TimeView; overdueBy: string }[];
  components: { id: string; name: string; status: string; statusLabel: string }[];
  problems: ContentProblem[];
  /** Messages and bodies that could not be rendered (shown as plain text), with where to fix or delete them. */
  renderProblems: { href: string; text: string }[];
}

export function adminIncidentHref(id: string): string {
  return `/admin/incidents/${encodeURIComponent(id)}`;
}

function openRow(model: StatusModel, incident: Incident, now: number): OpenIncidentRow {
  const tz = model.site.timezone;
  const clock = responseClock(incident, now);
  const due = nextUpdateDue(incident, now);
  const target = formatDuration(clock.targetMs);
  const elapsed = formatDuration(clock.elapsedMs);
  let clockText: string;
  if (clock.acknowledged) clockText = clock.breached ? `Acknowledged after ${elapsed}: target of ${target} missed` : `Acknowledged after ${elapsed}, within ${target}`;
  else clockText = clock.breached ? `Not acknowledged: ${elapsed} since detection, target ${target} missed` : `Not acknowledged: ${formatDuration(clock.remainingMs)} left of ${target}`;
  return {
    id: incident.id,
    href: adminIncidentHref(incident.id),
    title: incident.title,
    severity: incident.severity,
    source: incident.source,
    statusLabel: incidentStatusLabels[incidentStatus(incident)],
    sinceDetection: clock.detectedAt === null ? '—' : formatDuration(now - clock.detectedAt),
    target,
    acknowledged: clock.acknowledgedAt === null ? null : timeView(clock.acknowledgedAt, tz),
    breached: clock.breached,
    clockText,
    nextUpdate: due && {
      at: timeView(due.dueAt, tz),
      overdue: due.overdue,
      text: due.overdue ? `overdue by ${formatDuration(due.overdueByMs)}` : `in ${formatDuration(due.dueAt - now)}`,
    },
  };
}

/** The runbook's due reminders as dashboard lines, most urgent first. */
export function dueNowRows(model: StatusModel, reminders: readonly Reminder[], now: number): DueNowRow[] {
  const tz = model.site.timezone;
  return reminders.map((r) => {
    const title = model.incidentById.get(r.incidentId)?.title ?? r.incidentId;
    const overdue = now > r.dueAt;
    return {
      key: r.key,
      href: adminIncidentHref(r.incidentId),
      text: r.kind === 'update_due' ? `Public update due: ${title}` : `Escalate to ${r.roleLabel}: ${title}`,
      at: timeView(r.dueAt, tz),
      overdue,
      when: overdue ? `overdue by ${formatDuration(now - r.dueAt)}` : now === r.dueAt ? 'now' : `in ${formatDuration(r.dueAt - now)}`,
    };
  }).sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.at.iso.localeCompare(b.at.iso));
}

/** Every message, body and post-mortem that could not be rendered (and is shown as escaped text), with where to fix it. */
function renderProblemRows(model: StatusModel): DashboardView['renderProblems'] {
  const rows: DashboardView['renderProblems'] = [];
  const add = (source: string, href: string, what: string): void => {
    const reason = source ? renderProblemFor(source) : null;
    if (reason !== null) rows.push({ href, text: `${what} could not be rendered: ${reason}` });
  };
  for (const i of model.incidents) {
    const href = `/admin/incidents/${encodeURIComponent(i.id)}`;
    for (const u of i.updates) add(u.message, href, `Message of update ${u.id} (${i.title})`);
    add(i.body, href, `The description of ${i.title}`);
  }
  for (const m of model.maintenance) {
    const href = `/admin/maintenance/${encodeURIComponent(m.id)}`;
    for (const u of m.updates) add(u.message, href, `Message of update ${u.id} (${m.title})`);
    add(m.body, href, `The description of ${m.title}`);
  }
  for (const p of model.postmortems) add(p.body, `/admin/postmortems/${encodeURIComponent(p.incidentId)}`, `The post-mortem ${p.title}`);
  return rows;
}

export function buildDashboardView(model: StatusModel, now: number, reminders: readonly Reminder[] = []): DashboardView {
  const tz = model.site.timezone;
  const open = model.openIncidents;
  const current = currentStatus(model, now);
  const overdue: DashboardView['postmortemsOverdue'] = [];
  for (const incident of model.incidents) {
    const due = postmortemDue(incident, model.publishedPostmortemByIncident.has(incident.id), now);
    const resolved = resolvedAt(incident);
    if (due?.overdue && resolved !== null) {
      overdue.push({
        id: incident.id, href: `/admin/postmortems/${encodeURIComponent(incident.id)}`, title: incident.title, severity: incident.severity,
        resolved: timeView(resolved, tz), overdueBy: formatDuration(now - due.dueAt),
      });
    }
  }
  return {
    dueNow: dueNowRows(model, reminders, now),
    openBySeverity: severities
      .map((severity) => ({ severity, incidents: open.filter((i) => i.severity === severity).map((i) => openRow(model, i, now)) }))
      .filter((g) => g.incidents.length > 0),
    openCount: open.length,
    postmortemsOverdue: overdue,
    components: model.components.map((c) => {
      const s = current.componentStatus.get(c.id)!;
      return { id: c.id, name: c.name, status: s, statusLabel: statusLabel(s) };
    }),
    problems: model.problems,
    renderProblems: renderProblemRows(model),
  };
}
