// What a settled page is made of, so an export can reuse its last copy instead of rendering it again (no I/O).
// Only resolved incidents qualify: their page and API document read the incident, its post-mortem and repeat
// link, the names of its components and the site's settings, and never the clock. Everything else renders.
import { createHash } from 'node:crypto';
import { resolvedAt } from '../../status/incident.ts';
import type { StatusModel } from '../status-data/status-model.ts';

const INCIDENT_PAGE = /^\/incidents\/([^/]+)$/;
const INCIDENT_DOCUMENT = /^\/api\/v1\/incidents\/([^/]+)\.json$/;

/**
 * A digest of everything the path's bytes depend on, or null when it must be rendered every time (it reads the
 * clock, or is not an archived incident). `baseUrl` is the public URL the API writes into links.
 */
export function exportFingerprint(model: StatusModel, path: string, now: number, baseUrl: string): string | null {
  const page = INCIDENT_PAGE.exec(path);
  const doc = page ? null : INCIDENT_DOCUMENT.exec(path);
  const raw = page?.[1] ?? doc?.[1];
  if (raw === undefined) return null;
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const incident = model.incidentById.get(id);
  if (!incident || resolvedAt(incident) === null) return null;
  const pm = model.publishedPostmortemByIncident.get(id);
  // The API hides a post-mortem until its publication time: that reads the clock.
  if (doc && pm && pm.publishedAt !== null && pm.publishedAt > now) return null;
  const repeat = incident.repeatOf ? model.incidentById.get(incident.repeatOf) : undefined;
  const names = Object.keys(incident.components).map((c) => [c, model.componentById.get(c)?.name ?? null]);
  const inputs = [
    page ? 'page' : 'api', baseUrl, model.site, incident, names,
    pm ? [pm.id, pm.title, pm.publishedAt] : null,
    repeat ? [repeat.id, repeat.title] : null,
  ];
  return createHash('sha1').update(JSON.stringify(inputs)).digest('base64url');
}
