// One read model over both sources: content files and admin records look identical from here on.
import { isOpen, resolvedAt, startedAt } from '../../status/incident.ts';
import type { Component, ComponentGroup, Incident, Maintenance, Postmortem, Site } from '../../status/types.ts';
import type { ContentProblem } from '../content/content-file.ts';
import type { ContentSnapshot } from '../content/content-snapshot.ts';
import type { AdminRecords } from './admin-records.ts';
import { firstSeenAt } from '../maintenance/first-seen.ts';

export interface StatusModel {
  site: Site;
  groups: ComponentGroup[];
  /** Leaf components in display order, with hand-set statuses applied to the baseline. */
  components: Component[];
  componentById: Map<string, Component>;
  /** Newest first by impact start. */
  incidents: Incident[];
  /** Unresolved incidents that have at least one update, newest first. */
  openIncidents: Incident[];
  /**
   * Incidents that may touch the last RECENT_DAYS days (open, or resolved within them as of the model's
   * build): what uptime bars scan, so their cost does not grow with the archive.
   */
  recentIncidents: Incident[];
  incidentById: Map<string, Incident>;
  maintenance: Maintenance[];
  maintenanceById: Map<string, Maintenance>;
  postmortems: Postmortem[];
  postmortemById: Map<string, Postmortem>;
  /** The published post-mortem of each incident that has one. */
  publishedPostmortemByIncident: Map<string, Postmortem>;
  problems: ContentProblem[];
}

/** Merges the two sources. Ids never collide (admin ids are checked against files on creation); a file wins if they do. */
/** Longer than the 90-day uptime window, so a model reused for days still covers it. */
export const RECENT_DAYS = 100;

export function mergeModel(content: ContentSnapshot, admin: AdminRecords, problems: ContentProblem[], builtAt: number = Date.now()): StatusModel {
  // Team-only set in admin adds to components.yaml's `audience: internal`; it never makes a file's internal public.
  const applyOverride = (c: Component): Component => {
    const s = admin.overrides.get(c.id);
    const marked = admin.internalComponents?.has(c.id) === true && c.audience !== 'internal';
    return s || marked ? { ...c, ...(s ? { baseline: s } : {}), ...(marked ? { audience: 'internal' as const } : {}) } : c;
  };
  const groups = content.groups.map((g) => ({ ...g, components: g.components.map(applyOverride) }));
  const components = content.components.map(applyOverride);
  const byId = <T extends { id: string }>(items: T[]): Map<string, T> => {
    const m = new Map<string, T>();
    for (const i of items) if (!m.has(i.id)) m.set(i.id, i);
    return m;
  };
  // Admin ids are checked against files when created; a file added later with the same id wins, said aloud.
  const fileIds = new Set([...content.incidents, ...content.maintenance, ...content.postmortems].map((x) => x.id));
  const clashes = [...admin.incidents, ...admin.maintenance, ...admin.postmortems].filter((x) => fileIds.has(x.id));
  problems = [
    ...problems,
    ...clashes.map((x) => ({ file: `${x.id}.md`, field: '', reason: `id '${x.id}' is also used by a record posted in admin; the file is shown and the admin record hidden` })),
  ];
  const incidentById = byId([...content.incidents, ...admin.incidents]);
  const incidents = [...incidentById.values()].sort((a, b) => (startedAt(b) ?? 0) - (startedAt(a) ?? 0) || a.id.localeCompare(b.id));
  // A file that names no `announced:` time was announced when it was first seen.
  const fileMaintenance = content.maintenance.map((m) => (m.announcedAt != null ? m : { ...m, announcedAt: firstSeenAt(m.id, admin.maintenanceFirstSeen, builtAt) }));
  const maintenanceById = byId([...fileMaintenance, ...admin.maintenance]);
  const maintenance = [...maintenanceById.values()].sort((a, b) => a.scheduledStart - b.scheduledStart);
  const postmortemById = byId([...content.postmortems, ...admin.postmortems]);
  const postmortems = [...postmortemById.values()].sort((a, b) => (b.publishedAt ?? 0) - (a.publishedAt ?? 0));
  const publishedPostmortemByIncident = new Map<string, Postmortem>();
  for (const p of postmortems) {
    if (p.publishedAt !== null && incidentById.has(p.incidentId) && !publishedPostmortemByIncident.has(p.incidentId)) {
      publishedPostmortemByIncident.set(p.incidentId, p);
    }
  }
  // Measured from the newest incident when that is older than the build (archives, test fixtures).
  const newest = incidents.length > 0 ? (startedAt(incidents[0]!) ?? builtAt) : builtAt;
  const recentSince = Math.min(builtAt, newest) - RECENT_DAYS * 86_400_000;
  return {
    site: content.site,
    groups,
    components,
    componentById: byId(components),
    incidents,
    openIncidents: incidents.filter((i) => isOpen(i) && i.updates.length > 0),
    recentIncidents: incidents.filter((i) => (resolvedAt(i) ?? Infinity) >= recentSince),
    incidentById,
    maintenance,
    maintenanceById,
    postmortems,
    postmortemById,
    publishedPostmortemByIncident,
    problems,
  };
}
