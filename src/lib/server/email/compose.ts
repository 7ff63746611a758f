// Fills the email templates from incidents, maintenance and post-mortems: pure, the clock comes from the caller.
import { formatDateTime, formatDayKey, formatElapsed, formatTime } from '../../status/format.ts';
import { incidentStart, resolvedAsOf } from '../../status/incident-timing.ts';
import { etaFromMessage } from '../../status/runbook-templates.ts';
import { stakeholderStatus, stakeholderStatusLabel } from '../../status/stakeholder-status.ts';
import { dayKey } from '../../status/time.ts';
import type { Component, ComponentStatusMap, Incident, IncidentUpdate, Maintenance, Postmortem, Site } from '../../status/types.ts';
import { componentStatusLabel, type IncidentStatus } from '../../status/vocabulary.ts';
import { siteLanguages, type Locale } from '../../i18n/locales.ts';
import { translate } from '../../i18n/translate.ts';
import { absoluteUrl, renderEmailMarkdown } from '../markdown/markdown-email.ts';
import { firstBlock, markdownSections } from '../markdown/markdown-sections.ts';
import { flattenMarkdown } from '../markdown/markdown-text.ts';
import type {
  ConfirmationEmailData, EmailUpdate, IncidentEmailData, IncidentWords, MaintenanceEmailData, PostmortemEmailData, RenderedText,
} from './email-data.ts';
import { threadRoot } from './threading.ts';

/** The runbook's next-update cadence while an incident is open. */
export const NEXT_UPDATE_MS = 15 * 60_000;

/** The incident fields an email needs (an incident being created has no updates yet). */
export type IncidentForEmail = Pick<Incident, 'id' | 'title' | 'severity' | 'components' | 'updates'> & Partial<Pick<Incident, 'startedAt' | 'detectedAt' | 'audience'>>;

export interface SiteForEmail {
  site: Site;
  components: readonly Component[];
  /** Public base URL, no trailing slash. */
  baseUrl: string;
  /** For mail to the public: the team-only component ids, left out of every email and channel message. */
  internal?: ReadonlySet<string>;
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

/** "10:05 GMT", or "10:05 GMT on 20 Nov 2026" when not on the reference instant's day (incident-timing.ts timeBeside). */
function timeBeside(instant: number, tz: string, reference: number, locale: Locale): string {
  const day = dayKey(instant, tz);
  return day === dayKey(reference, tz) ? formatTime(instant, tz, locale) : timeAndDay(instant, tz, locale);
}

/** "10:05 GMT on 20 Nov 2026" */
function timeAndDay(instant: number, tz: string, locale: Locale): string {
  return translate(locale, 'email.timeOnDay', { time: formatTime(instant, tz, locale), day: formatDayKey(dayKey(instant, tz), locale) });
}

/** How long it has been going on, at the update: "Ongoing for 42 min (since 09:23 GMT)". */
function ongoing(start: number, at: number, tz: string, locale: Locale): string {
  if (at - start < 60_000) return translate(locale, 'email.ongoingSince', { since: timeBeside(start, tz, at, locale) });
  return translate(locale, 'email.ongoingFor', { duration: formatElapsed(at - start, locale), since: timeBeside(start, tz, at, locale) });
}

const stakeholderKeys = {
  investigating: 'stakeholder.investigating',
  identified: 'stakeholder.identified',
  monitoring: 'stakeholder.monitoring',
  resolved: 'stakeholder.resolved',
} as const;

/** stakeholderStatusLabel in the reader's language ("Mitigating — cause identified"). */
function stakeholderLabel(status: IncidentStatus, locale: Locale): string {
  return locale === 'en' ? stakeholderStatusLabel(status) : translate(locale, stakeholderKeys[status]);
}

/** The site's languages other than English: the ones an email also carries its words in. */
function otherLanguages(ctx: SiteForEmail): Locale[] {
  return siteLanguages(ctx.site.languages).filter((l) => l !== 'en');
}

/** The stakeholder email for an incident update (or for several markdown updates that arrived together). */
export function incidentEmailData(ctx: SiteForEmail, incident: IncidentForEmail, update: IncidentUpdate, options: IncidentEmailOptions = {}): IncidentEmailData {
  const tz = ctx.site.timezone;
  const resolved = update.status === 'resolved';
  const statuses = statusesAt(incident, update);
  const all = incident.updates.some((u) => u.id === update.id) ? incident.updates : [update, ...incident.updates];
  const carried = [...(options.carried ?? [update])].sort((a, b) => a.at - b.at);
  const start = incidentStart({ ...incident, updates: all }, update);
  const resolvedAt = resolved ? resolvedAsOf(all, update) : null;
  const next = update.at + NEXT_UPDATE_MS;
  const oldest = all.reduce((a, b) => (b.at < a.at ? b : a));
  // Everything but the content, in one language (English is the email's own fields; the others ride along).
  const words = (locale: Locale): IncidentWords => {
    const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string>): string => translate(locale, key, vars);
    // German and Japanese status words keep their case mid-sentence.
    const lower = (label: string): string => (locale === 'de' || locale === 'ja' ? label : label.toLowerCase());
    return {
      statusLabel: stakeholderLabel(update.status, locale),
      impact: Object.entries(statuses).map(([id, s]) => (resolved
        ? t('email.impactResolved', { name: nameOf(ctx, id), operational: componentStatusLabel('operational', locale), was: lower(componentStatusLabel(s, locale)) })
        : `${nameOf(ctx, id)}: ${componentStatusLabel(s, locale)}`)),
      eta: resolved ? null : (etaFromMessage(update.message) ?? t('email.etaUnknown')),
      resolution: resolvedAt === null ? null : t('email.resolution', { time: timeBeside(resolvedAt, tz, update.at, locale), duration: formatElapsed(resolvedAt - start, locale) }),
      posted: t('email.posted', { when: timeAndDay(update.at, tz, locale) }),
      duration: resolved ? null : ongoing(start, update.at, tz, locale),
      nextUpdate: !resolved && next > (options.now ?? update.at) ? timeBeside(next, tz, update.at, locale) : null,
      headings: carried.map((u) => `${timeBeside(u.at, tz, update.at, locale)} · ${stakeholderLabel(u.status, locale)}`),
    };
  };
  const { headings, ...english } = words('en');
  const updates: EmailUpdate[] = carried.map((u, i) => ({ heading: headings[i]!, body: renderedMarkdown(ctx, u.message) }));
  const others = otherLanguages(ctx);
  return {
    kind: 'incident',
    ...emailCommon(ctx),
    severity: incident.severity,
    status: stakeholderStatus(update.status),
    statusLabel: english.statusLabel,
    title: incident.title,
    impact: english.impact,
    eta: english.eta,
    resolution: english.resolution,
    message: update.message,
    updates,
    posted: english.posted,
    duration: english.duration,
    nextUpdate: english.nextUpdate,
    url: `${ctx.baseUrl}/incidents/${encodeURIComponent(incident.id)}`,
    thread: { root: threadRoot('incident', incident.id, ctx.baseUrl), opens: carried.some((u) => u.id === oldest.id) },
    ...(others.length > 0 ? { localized: Object.fromEntries(others.map((l) => [l, words(l)])) } : {}),
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
    ...(otherLanguages(ctx).length > 0 ? {
      localizedWindow: Object.fromEntries(otherLanguages(ctx).map((l) => [l, translate(l, 'email.window', { start: formatDateTime(m.scheduledStart, tz, l), end: formatDateTime(m.scheduledEnd, tz, l) })])),
    } : {}),
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
