// Fills the email templates from incidents, maintenance and post-mortems: pure, the clock comes from the caller.
import { formatDateTime } from '../../status/format.ts';
import { etaFromMessage } from '../../status/runbook-templates.ts';
import type { Component, ComponentStatusMap, Incident, IncidentUpdate, Maintenance, Postmortem, Site } from '../../status/types.ts';
import { componentStatusLabels, type IncidentStatus } from '../../status/vocabulary.ts';
import type {
  ConfirmationEmailData, IncidentEmailData, MaintenanceEmailData, PostmortemEmailData, StakeholderStatus,
} from './email-data.ts';

/** The runbook's next-update cadence while an incident is open. */
export const NEXT_UPDATE_MS = 15 * 60_000;

/** The incident fields an email needs (an incident being created has no updates yet). */
export type IncidentForEmail = Pick<Incident, 'id' | 'title' | 'severity' | 'components' | 'updates'>;

export interface SiteForEmail {
  site: Site;
  components: readonly Component[];
  /** Public base URL, no trailing slash. */
  baseUrl: string;
}

/** Investigating → Investigating; identified and monitoring → Mitigating; resolved → Resolved. */
export function stakeholderStatus(status: IncidentStatus): StakeholderStatus {
  if (status === 'investigating') return 'Investigating';
  if (status === 'resolved') return 'Resolved';
  return 'Mitigating';
}

/** Component statuses in force at `update`: its own, else the latest earlier update's, else the incident's. */
export function statusesAt(incident: IncidentForEmail, update: IncidentUpdate): ComponentStatusMap {
  if (update.components) return update.components;
  for (const u of incident.updates) if (u.id !== update.id && u.at <= update.at && u.components) return u.components;
  return incident.components;
}

const nameOf = (ctx: SiteForEmail, id: string): string => ctx.components.find((c) => c.id === id)?.name ?? id;

/** Base URL without its trailing slash. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The stakeholder email for one incident update. */
export function incidentEmailData(ctx: SiteForEmail, incident: IncidentForEmail, update: IncidentUpdate): IncidentEmailData {
  const tz = ctx.site.timezone;
  const resolved = update.status === 'resolved';
  const statuses = statusesAt(incident, update);
  const impact = Object.entries(statuses).map(([id, s]) =>
    resolved ? `${nameOf(ctx, id)}: Operational (was ${componentStatusLabels[s].toLowerCase()})` : `${nameOf(ctx, id)}: ${componentStatusLabels[s]}`);
  return {
    kind: 'incident',
    siteName: ctx.site.name,
    signature: ctx.site.emailSignature,
    baseUrl: ctx.baseUrl,
    severity: incident.severity,
    status: stakeholderStatus(update.status),
    title: incident.title,
    impact,
    // A resolution answers the ETA question; otherwise the update's own "ETA: …" or Unknown.
    eta: etaFromMessage(update.message) ?? (resolved ? 'Resolved' : 'Unknown'),
    message: update.message,
    nextUpdate: resolved ? null : formatDateTime(update.at + NEXT_UPDATE_MS, tz),
    postedAt: formatDateTime(update.at, tz),
    url: `${ctx.baseUrl}/incidents/${encodeURIComponent(incident.id)}`,
  };
}

/** The maintenance email: when it is scheduled, and when it starts. */
export function maintenanceEmailData(ctx: SiteForEmail, m: Maintenance, phase: 'scheduled' | 'started'): MaintenanceEmailData {
  const tz = ctx.site.timezone;
  const wanted = phase === 'started' ? ['in_progress', 'verifying'] : ['scheduled'];
  const message = m.updates.find((u) => wanted.includes(u.status))?.message ?? m.body;
  return {
    kind: 'maintenance',
    siteName: ctx.site.name,
    signature: ctx.site.emailSignature,
    baseUrl: ctx.baseUrl,
    phase,
    title: m.title,
    window: `${formatDateTime(m.scheduledStart, tz)} to ${formatDateTime(m.scheduledEnd, tz)}`,
    components: m.components.map((id) => nameOf(ctx, id)),
    message: message.trim(),
    url: `${ctx.baseUrl}/maintenance/${encodeURIComponent(m.id)}`,
  };
}

/** The first paragraph of a markdown body that is not a heading, as plain text (at most 600 characters). */
export function firstParagraph(markdown: string): string {
  const para = markdown.split(/\n\s*\n/).map((p) => p.trim()).find((p) => p !== '' && !p.startsWith('#')) ?? '';
  const plain = para.replace(/[*_`]/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ');
  return plain.length > 600 ? `${plain.slice(0, 599)}…` : plain;
}

/** The email announcing a published post-mortem. */
export function postmortemEmailData(ctx: SiteForEmail, incident: Pick<Incident, 'title' | 'severity'>, p: Pick<Postmortem, 'id' | 'title' | 'body'>): PostmortemEmailData {
  return {
    kind: 'postmortem',
    siteName: ctx.site.name,
    signature: ctx.site.emailSignature,
    baseUrl: ctx.baseUrl,
    severity: incident.severity,
    title: p.title,
    incidentTitle: incident.title,
    summary: firstParagraph(p.body.replace(/^##\s*Summary\s*$/im, '')),
    url: `${ctx.baseUrl}/postmortems/${encodeURIComponent(p.id)}`,
  };
}

/** The double opt-in email, or the "already subscribed" one (same public answer, no change). */
export function confirmationEmailData(ctx: SiteForEmail, kind: 'confirmation' | 'already_subscribed', componentIds: string[] | null): ConfirmationEmailData {
  return {
    kind,
    siteName: ctx.site.name,
    signature: ctx.site.emailSignature,
    baseUrl: ctx.baseUrl,
    components: componentIds === null ? null : componentIds.map((id) => nameOf(ctx, id)),
  };
}
