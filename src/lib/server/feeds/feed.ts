// The entries of the history feeds: incident updates, maintenance notices and post-mortem publications.
import { createHash } from 'node:crypto';
import { formatDateTime } from '../../status/format.ts';
import { incidentImpact } from '../../status/incident.ts';
import type { Incident } from '../../status/types.ts';
import { impactLabels, incidentStatusLabels, maintenanceStatusLabels } from '../../status/vocabulary.ts';
import { absoluteUrl, type ApiContext } from '../api/api-context.ts';
import { incidentComponentIds, pageTimes } from '../api/page-times.ts';
import { maintenanceCreatedAt } from '../api/statuspage-incident.ts';
import { renderMarkdown } from '../markdown/markdown.ts';
import { updateAnchor } from '../../status/update-anchor.ts';

/** How many entries a feed carries, newest first. */
export const FEED_LIMIT = 50;

/** One entry, format-neutral: atom.ts and rss.ts serialize the same list. */
export interface FeedEntry {
  /** A urn:uuid derived from the page and the entry's own id: stable across restarts and URL changes. */
  id: string;
  kind: 'incident' | 'maintenance' | 'postmortem';
  title: string;
  /** The page the entry is about (incident, maintenance window or post-mortem). */
  url: string;
  /** For a post-mortem, the incident page. */
  relatedUrl: string | null;
  at: number;
  /** Sanitized HTML (rendered with renderMarkdown, or built here from escaped text). */
  html: string;
  componentIds: string[];
}

/** A feed with its metadata, ready for either writer. */
export interface Feed {
  id: string;
  title: string;
  subtitle: string;
  siteUrl: string;
  authorName: string;
  updated: number;
  timeZone: string;
  entries: FeedEntry[];
}

/** A name-based UUID (version 5 layout over SHA-1) as a urn, so ids never change for the same input. */
export function stableUrn(name: string): string {
  const h = createHash('sha1').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Component ids per incident, kept while the incident object lives: every component feed filters the archive by them. */
const componentIdsOf = new WeakMap<Incident, string[]>();
function componentIdsCached(incident: Incident): string[] {
  let ids = componentIdsOf.get(incident);
  if (!ids) componentIdsOf.set(incident, (ids = incidentComponentIds(incident)));
  return ids;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function incidentEntries(ctx: ApiContext, incident: Incident): FeedEntry[] {
  const url = absoluteUrl(ctx, `/incidents/${encodeURIComponent(incident.id)}`);
  const componentIds = componentIdsCached(incident);
  return incident.updates.map((u, i, all) => ({ u, anchor: updateAnchor(all.length, i) })).filter(({ u }) => u.at <= ctx.now).map(({ u, anchor }) => {
    let id: string | undefined;
    // Both made only when asked for: the sort needs ids for ties alone, the writers only the entries kept.
    return {
      get id() { return (id ??= stableUrn(`${ctx.pageId}:incident-update:${incident.id}:${u.id}`)); },
      kind: 'incident',
      title: `${incident.title}: ${incidentStatusLabels[u.status]}`,
      // Each update its own link: readers and chat bots that deduplicate by link keep every update.
      url: `${url}#${anchor}`,
      relatedUrl: null,
      at: u.at,
      get html() { return `${renderMarkdown(u.message)}<p><small>${escapeHtml(impactLabels[incidentImpact(incident)])} · severity ${incident.severity}</small></p>`; },
      componentIds,
    } satisfies FeedEntry;
  });
}

function maintenanceEntries(ctx: ApiContext): FeedEntry[] {
  const { model, now } = ctx;
  const tz = model.site.timezone;
  const out: FeedEntry[] = [];
  for (const m of model.maintenance) {
    const url = absoluteUrl(ctx, `/maintenance/${encodeURIComponent(m.id)}`);
    const names = m.components.map((id) => model.componentById.get(id)?.name ?? id);
    const window = `Scheduled from ${formatDateTime(m.scheduledStart, tz)} to ${formatDateTime(m.scheduledEnd, tz)}.`;
    const affects = names.length > 0 ? ` Affects: ${names.join(', ')}.` : '';
    out.push({
      id: stableUrn(`${ctx.pageId}:maintenance:${m.id}`),
      kind: 'maintenance',
      title: `Scheduled maintenance: ${m.title}`,
      url,
      relatedUrl: null,
      at: maintenanceCreatedAt(m),
      html: `<p>${escapeHtml(window + affects)}</p>${m.body.trim() ? renderMarkdown(m.body) : ''}`,
      componentIds: m.components,
    });
    for (const [i, u] of m.updates.entries()) {
      if (u.at > now) continue;
      out.push({
        id: stableUrn(`${ctx.pageId}:maintenance-update:${m.id}:${u.id}`),
        kind: 'maintenance',
        title: `${m.title}: ${maintenanceStatusLabels[u.status]}`,
        url: `${url}#${updateAnchor(m.updates.length, i)}`,
        relatedUrl: null,
        at: u.at,
        html: renderMarkdown(u.message),
        componentIds: m.components,
      });
    }
  }
  return out;
}

function postmortemEntries(ctx: ApiContext): FeedEntry[] {
  const out: FeedEntry[] = [];
  for (const pm of ctx.model.publishedPostmortemByIncident.values()) {
    const incident = ctx.model.incidentById.get(pm.incidentId);
    if (!incident || pm.publishedAt === null || pm.publishedAt > ctx.now) continue;
    out.push({
      id: stableUrn(`${ctx.pageId}:postmortem:${pm.id}`),
      kind: 'postmortem',
      title: `Post-mortem: ${pm.title}`,
      url: absoluteUrl(ctx, `/postmortems/${encodeURIComponent(pm.id)}`),
      relatedUrl: absoluteUrl(ctx, `/incidents/${encodeURIComponent(incident.id)}`),
      at: pm.publishedAt,
      get html() { return renderMarkdown(pm.body); },
      componentIds: incidentComponentIds(incident),
    });
  }
  return out;
}

/** The component ids a feed is about: a leaf, a group's members, or null when the id is unknown. */
function scopeOf(ctx: ApiContext, componentId: string): { ids: Set<string>; name: string } | null {
  const leaf = ctx.model.componentById.get(componentId);
  if (leaf) return { ids: new Set([leaf.id]), name: leaf.name };
  const group = ctx.model.groups.find((g) => g.id === componentId);
  return group ? { ids: new Set(group.components.map((c) => c.id)), name: group.name } : null;
}

/** The whole page's feed (componentId null) or one component's (or group's); null for an unknown id. */
export function collectFeed(ctx: ApiContext, componentId: string | null): Feed | null {
  const scope = componentId === null ? null : scopeOf(ctx, componentId);
  if (componentId !== null && !scope) return null;
  // Incidents outside the scope are skipped before their entries are made (a component feed of a long archive).
  const all = [
    ...ctx.model.incidents.filter((i) => !scope || componentIdsCached(i).some((id) => scope.ids.has(id))).flatMap((i) => incidentEntries(ctx, i)),
    ...maintenanceEntries(ctx),
    ...postmortemEntries(ctx),
  ];
  const entries = all
    .filter((e) => !scope || e.componentIds.some((id) => scope.ids.has(id)))
    .sort((a, b) => b.at - a.at || a.id.localeCompare(b.id))
    .slice(0, FEED_LIMIT);
  const past = entries.filter((e) => e.at <= ctx.now).map((e) => e.at);
  const site = ctx.model.site;
  return {
    id: stableUrn(`${ctx.pageId}:feed:${componentId ?? '*'}`),
    title: scope ? `${site.name} status: ${scope.name}` : `${site.name} status history`,
    subtitle: scope ? `Incidents and maintenance affecting ${scope.name}` : `Incidents, maintenance and post-mortems for ${site.name}`,
    siteUrl: ctx.baseUrl + '/',
    authorName: site.name,
    updated: past.length > 0 ? Math.max(...past) : pageTimes(ctx.model, ctx.now).updated,
    timeZone: site.timezone,
    entries,
  };
}
