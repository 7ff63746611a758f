// Fills the email templates from incidents, maintenance and post-mortems: pure, the clock comes from the caller.
import { formatDateTime } from '../../status/format.ts';
import { incidentStart, resolvedAsOf, timeAndDay, timeBeside } from '../../status/incident-timing.ts';
import { etaFromMessage } from '../../status/runbook-templates.ts';
import { stakeholderStatus, stakeholderStatusLabel } from '../../status/stakeholder-status.ts';
import { formatDuration } from '../../status/time.ts';
import type { Component, ComponentStatusMap, Incident, IncidentUpdate, Maintenance, Postmortem, Site } from '../../status/types.ts';
import { componentStatusLabels } from '../../status/vocabulary.ts';
import { absoluteUrl, renderEmailMarkdown } from '../markdown/markdown-email.ts';
import { firstBlock, markdownSections } from '../markdown/markdown-sections.ts';
import { flattenMarkdown } from '../markdown/markdown-text.ts';
import type {
  ConfirmationEmailData, EmailUpdate, IncidentEmailData, MaintenanceEmailData, PostmortemEmailData, RenderedText,
} from './email-data.ts';
import { threadRoot } from './threading.ts';

/** The runbook's next-update cadence while an incident is open. */
export const NEXT_UPDATE_MS = 15 * 60_000;

/** The incident fields an email needs (an incident being created has no updates yet). */
export type IncidentForEmail = Pick<Incident, 'id' | 'title' | 'severity' | 'components' | 'updates'> & Partial<Pick<Incident, 'startedAt' | 'detectedAt'>>;

export interface SiteForEmail {
  site: Site;
  components: readonly Component[];
  /** Public base URL, no trailing slash. */
  baseUrl: string;
}

/**
 * Component statuses in force at `update`: the incident's, overlaid oldest first with those each update up to it
 * set, so an update that changed one component still lists the others it affects.
 */
export function statusesAt(incident: IncidentForEmail, update: IncidentUpdate): ComponentStatusMap {
  const upTo = incident.updates.filter((u) => u.id !== update.id && u.at <= update.at).sort((a, b) => a.at - b.at);
  let statuses: ComponentStatusMap = { ...incident.components };
  for (const u of [...upTo, update]) if (u.components) statuses = { ...statuses, ...u.components };
  return statuses;
}

const nameOf = (ctx: SiteForEmail, id: string): string => ctx.components.find((c) => c.id === id)?.name ?? id;

/** Base URL without its trailing slash. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Markdown for both parts of an email, links made absolute against the site. */
export function renderedMarkdown(ctx: SiteForEmail, markdown: string): RenderedText {
  return { html: renderEmailMarkdown(markdown, ctx.baseUrl), text: flattenMarkdown(markdown, ctx.baseUrl) };
}

/** What every email shares: the site, its signature, its base URL and the brand header's logo. */
export function emailCommon(ctx: SiteForEmail): Pick<IncidentEmailData, 'siteName' | 'signature' | 'baseUrl' | 'logoUrl'> {
  const logo = ctx.site.logo ? absoluteUrl(ctx.site.logo, ctx.baseUrl) : null;
  return { siteName: ctx.site.name, signature: ctx.site.emailSignature, baseUrl: ctx.baseUrl, logoUrl: logo?.startsWith('http') ? logo : null };
}

export interface IncidentEmailOptions {
  /** When the email is composed: "Next update by" is left out once that time has passed. Default: the update's time. */
  now?: number;
  /** The updates the email carries, `update` (the newest) among them; default just `update`. */
  carried?: readonly IncidentUpdate[];
}

/** How long it has been going on, at the update: "Ongoing for 42 min (since 09:23 GMT)". */
function ongoing(start: number, at: number, tz: string): string {
  if (at - start < 60_000) return `Ongoing since ${timeBeside(start, tz, at)}`;
  return `Ongoing for ${formatDuration(at - start)} (since ${timeBeside(start, tz, at)})`;
}

/** The stakeholder email for an incident update (or for several markdown updates that arrived together). */
export function incidentEmailData(ctx: SiteForEmail, incident: IncidentForEmail, update: IncidentUpdate, options: IncidentEmailOptions = {}): IncidentEmailData {
  const tz = ctx.site.timezone;
  const resolved = update.status === 'resolved';
  const statuses = statusesAt(incident, update);
  const impact = Object.entries(statuses).map(([id, s]) =>
    resolved ? `${nameOf(ctx, id)}: Operational (was ${componentStatusLabels[s].toLowerCase()})` : `${nameOf(ctx, id)}: ${componentStatusLabels[s]}`);
  const all = incident.updates.some((u) => u.id === update.id) ? incident.updates : [update, ...incident.updates];
  const carried = [...(options.carried ?? [update])].sort((a, b) => a.at - b.at);
  const start = incidentStart({ ...incident, updates: all }, update);
  const resolvedAt = resolved ? resolvedAsOf(all, update) : null;
  const next = update.at + NEXT_UPDATE_MS;
  const oldest = all.reduce((a, b) => (b.at < a.at ? b : a));
  const updates: EmailUpdate[] = carried.map((u) => ({
    heading: `${timeBeside(u.at, tz, update.at)} · ${stakeholderStatusLabel(u.status)}`,
    body: renderedMarkdown(ctx, u.message),
  }));
  return {
    kind: 'incident',
    ...emailCommon(ctx),
    severity: incident.severity,
    status: stakeholderStatus(update.status),
    statusLabel: stakeholderStatusLabel(update.status),
    title: incident.title,
    impact,
    eta: resolved ? null : (etaFromMessage(update.message) ?? 'Unknown'),
    resolution: resolvedAt === null ? null : `Resolved at ${timeBeside(resolvedAt, tz, update.at)} (lasted ${formatDuration(resolvedAt - start)})`,
    message: update.message,
    updates,
    posted: `Posted ${timeAndDay(update.at, tz)}`,
    duration: resolved ? null : ongoing(start, update.at, tz),
    nextUpdate: !resolved && next > (options.now ?? update.at) ? timeBeside(next, tz, update.at) : null,
    url: `${ctx.baseUrl}/incidents/${encodeURIComponent(incident.id)}`,
    thread: { root: threadRoot('incident', incident.id, ctx.baseUrl), opens: carried.some((u) => u.id === oldest.id) },
  };
}

/** The maintenance email: when it is scheduled, and when it starts. */
export function maintenanceEmailData(ctx: SiteForEmail, m: Maintenance, phase: 'scheduled' | 'started'): MaintenanceEmailData {
  const tz = ctx.site.timezone;
  const wanted = phase === 'started' ? ['in_progress', 'verifying'] : ['scheduled'];
  const message = m.updates.find((u) => wanted.includes(u.status))?.message ?? m.body;
  return {
    kind: 'maintenance',
    ...emailCommon(ctx),
    phase,
    title: m.title,
    window: `${formatDateTime(m.scheduledStart, tz)} to ${formatDateTime(m.scheduledEnd, tz)}`,
    components: m.components.map((id) => nameOf(ctx, id)),
    body: renderedMarkdown(ctx, message.trim()),
    url: `${ctx.baseUrl}/maintenance/${encodeURIComponent(m.id)}`,
    thread: { root: threadRoot('maintenance', m.id, ctx.baseUrl), opens: phase === 'scheduled' },
  };
}

/** The runbook template's Summary and Impact sections of a post-mortem, else its first paragraph, as markdown. */
export function postmortemExcerpt(body: string): string {
  const sections = markdownSections(body, ['Summary', 'Impact']);
  return sections.length > 0 ? sections.join('\n\n') : firstBlock(body);
}

/** The email announcing a published post-mortem, in the incident's thread. */
export function postmortemEmailData(ctx: SiteForEmail, incident: Pick<Incident, 'id' | 'title' | 'severity'>, p: Pick<Postmortem, 'id' | 'title' | 'body'>): PostmortemEmailData {
  return {
    kind: 'postmortem',
    ...emailCommon(ctx),
    severity: incident.severity,
    title: p.title,
    incidentTitle: incident.title,
    excerpt: renderedMarkdown(ctx, postmortemExcerpt(p.body)),
    url: `${ctx.baseUrl}/postmortems/${encodeURIComponent(p.id)}`,
    thread: { root: threadRoot('incident', incident.id, ctx.baseUrl), opens: false },
  };
}

/** The double opt-in email, or the "already subscribed" one (same public answer, no change). */
export function confirmationEmailData(ctx: SiteForEmail, kind: 'confirmation' | 'already_subscribed', componentIds: string[] | null): ConfirmationEmailData {
  return {
    kind,
    ...emailCommon(ctx),
    components: componentIds === null ? null : componentIds.map((id) => nameOf(ctx, id)),
  };
}
