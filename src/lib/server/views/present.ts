// Small formatters from domain values to view values, shared by every page view.
import { formatDateTime, formatElapsed, formatTime } from '../../status/format.ts';
import { internalComponentIds, isInternalIncident, isInternalMaintenance } from '../status-data/public-model.ts';
import {
  currentIncidentComponents, incidentDuration, incidentImpact, incidentStatus, resolvedAt, startedAt,
} from '../../status/incident.ts';
import { maintenanceStatus } from '../../status/maintenance.ts';
import { nextUpdateDue } from '../../status/response-clock.ts';
import type { Incident, Maintenance } from '../../status/types.ts';
import { describeDay, type DayStat } from '../../status/uptime.ts';
import {
  componentStatusLabel, impactLabel, incidentStatusLabel, maintenanceStatusLabel, type ComponentStatus,
} from '../../status/vocabulary.ts';
import type { Locale } from '../../i18n/locales.ts';
import { renderMarkdown, renderMarkdownChecked } from '../markdown/markdown.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { updateAnchor } from '../../status/update-anchor.ts';
import type { IncidentView, MaintenanceView, TimeView, UpdateView, UptimeDayView } from './view-types.ts';

/** An instant for a page: ISO for <time datetime>, text in the site's zone and the reader's language. */
export function timeView(instant: number, timeZone: string, locale: Locale = 'en'): TimeView {
  return { iso: new Date(instant).toISOString(), text: formatDateTime(instant, timeZone, locale) };
}

function updateView(u: { id: string; status: UpdateView['status']; message: string; at: number }, statusLabel: string, tz: string, locale: Locale, anchor: string | null): UpdateView {
  const r = renderMarkdownChecked(u.message);
  return { id: u.id, status: u.status, statusLabel, html: r.html, renderProblem: r.problem, at: timeView(u.at, tz, locale), anchor };
}

/** `anchors: false` where several incidents share a page (element ids must stay unique). */
export function incidentView(model: StatusModel, incident: Incident, now: number, locale: Locale = 'en', { anchors = true }: { anchors?: boolean } = {}): IncidentView {
  const tz = model.site.timezone;
  const status = incidentStatus(incident);
  const resolved = resolvedAt(incident);
  const started = startedAt(incident);
  const duration = incidentDuration(incident, now);
  const pm = model.publishedPostmortemByIncident.get(incident.id);
  const repeat = incident.repeatOf ? model.incidentById.get(incident.repeatOf) : undefined;
  const affected = resolved === null ? currentIncidentComponents(incident) : incident.components;
  // "Next update by 10:20 GMT" only while the runbook's 15-minute promise holds: an overdue time is not shown.
  const due = nextUpdateDue(incident, now);
  return {
    id: incident.id,
    ...(isInternalIncident(incident, internalComponentIds(model)) ? { teamOnly: true } : {}),
    href: `/incidents/${encodeURIComponent(incident.id)}`,
    title: incident.title,
    severity: incident.severity,
    impact: incidentImpact(incident),
    impactLabel: impactLabel(incidentImpact(incident), locale),
    status,
    statusLabel: incidentStatusLabel(status, locale),
    resolved: resolved !== null,
    falsePositive: incident.falsePositive,
    components: Object.entries(affected).map(([id, s]) => ({
      id,
      name: model.componentById.get(id)?.name ?? id,
      status: s,
      statusLabel: componentStatusLabel(s, locale),
    })),
    started: started === null ? null : timeView(started, tz, locale),
    resolvedAt: resolved === null ? null : timeView(resolved, tz, locale),
    durationText: duration === null ? null : formatElapsed(duration, locale),
    nextUpdateBy: due && !due.overdue && incident.updates.length > 0 ? { iso: new Date(due.dueAt).toISOString(), text: formatTime(due.dueAt, tz, locale) } : null,
    updates: incident.updates.map((u, i, all) => updateView(u, incidentStatusLabel(u.status, locale), tz, locale, anchors ? updateAnchor(all.length, i) : null)),
    bodyHtml: incident.body ? renderMarkdown(incident.body) : '',
    postmortem: pm ? { href: `/postmortems/${encodeURIComponent(pm.id)}`, title: pm.title } : null,
    repeatOf: repeat ? { href: `/incidents/${encodeURIComponent(repeat.id)}`, title: repeat.title } : null,
  };
}

export function maintenanceView(model: StatusModel, m: Maintenance, now: number, locale: Locale = 'en', { anchors = true }: { anchors?: boolean } = {}): MaintenanceView {
  const tz = model.site.timezone;
  const status = maintenanceStatus(m, now);
  return {
    id: m.id,
    ...(isInternalMaintenance(m, internalComponentIds(model)) ? { teamOnly: true } : {}),
    href: `/maintenance/${encodeURIComponent(m.id)}`,
    title: m.title,
    status,
    statusLabel: maintenanceStatusLabel(status, locale),
    start: timeView(m.scheduledStart, tz, locale),
    end: timeView(m.scheduledEnd, tz, locale),
    components: m.components.map((id) => ({ id, name: model.componentById.get(id)?.name ?? id })),
    updates: m.updates.map((u, i, all) => ({ u, anchor: anchors ? updateAnchor(all.length, i) : null })).filter(({ u }) => u.at <= now)
      .map(({ u, anchor }) => updateView(u, maintenanceStatusLabel(u.status, locale), tz, locale, anchor)),
    bodyHtml: m.body ? renderMarkdown(m.body) : '',
  };
}

const levels: Record<ComponentStatus, UptimeDayView['level']> = {
  operational: 'ok',
  under_maintenance: 'maintenance',
  degraded_performance: 'degraded',
  partial_outage: 'partial',
  major_outage: 'major',
};

export function uptimeDayView(stat: DayStat): UptimeDayView {
  return {
    day: stat.day,
    level: stat.uptime === null ? 'nodata' : levels[stat.worst],
    text: describeDay(stat),
    eventful: stat.worst !== 'operational' || stat.incidentIds.length > 0,
  };
}

export function statusLabel(s: ComponentStatus, locale: Locale = 'en'): string {
  return componentStatusLabel(s, locale);
}
