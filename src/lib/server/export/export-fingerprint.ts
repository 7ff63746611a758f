// What a settled page is made of, so an export can reuse its last copy instead of rendering it again (no I/O).
// Only pages of resolved incidents qualify: an incident's page and API document, and a history page whose
// incidents are all resolved. They read those incidents, their post-mortems and repeat links, component names
// and the site's settings, and never the clock. Everything else renders every time.
import { createHash } from 'node:crypto';
import { resolvedAt } from '../../status/incident.ts';
import type { Incident } from '../../status/types.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { HISTORY_PAGE_SIZE } from '../views/history.view.ts';
import { splitLocalePrefix } from '../../i18n/locales.ts';

const INCIDENT_PAGE = /^\/incidents\/([^/]+)$/;
const INCIDENT_DOCUMENT = /^\/api\/v1\/incidents\/([^/]+)\.json$/;
const HISTORY_PAGE = /^\/history(?:\/page\/([1-9][0-9]*))?$/;

const digest = (inputs: unknown[]): string => createHash('sha1').update(JSON.stringify(inputs)).digest('base64url');

/** What an incident's entry shows wherever it is listed or paged: itself, its post-mortem, its repeat link, names. */
function incidentInputs(model: StatusModel, incident: Incident): unknown[] {
  const pm = model.publishedPostmortemByIncident.get(incident.id);
  const repeat = incident.repeatOf ? model.incidentById.get(incident.repeatOf) : undefined;
  return [
    incident, Object.keys(incident.components).map((c) => [c, model.componentById.get(c)?.name ?? null]),
    pm ? [pm.id, pm.title, pm.publishedAt] : null, repeat ? [repeat.id, repeat.title] : null,
  ];
}

function historyFingerprint(model: StatusModel, page: number): string | null {
  const slice = model.incidents.slice((page - 1) * HISTORY_PAGE_SIZE, page * HISTORY_PAGE_SIZE);
  if (slice.length === 0 || slice.some((i) => resolvedAt(i) === null)) return null;
  return digest(['history', page, model.incidents.length, model.site, slice.map((i) => incidentInputs(model, i))]);
}

/**
 * A digest of everything the path's bytes depend on, or null when it must be rendered every time (it reads the
 * clock, or is not an archived incident). `baseUrl` is the public URL the API writes into links.
 */
export function exportFingerprint(model: StatusModel, path: string, now: number, baseUrl: string): string | null {
  // A page in another language ('/de/incidents/x') is made of the same things, in that language.
  const language = splitLocalePrefix(path);
  if (language && language.rest !== '/') {
    const fp = exportFingerprint(model, language.rest, now, baseUrl);
    return fp === null ? null : digest([language.locale, fp]);
  }
  const history = HISTORY_PAGE.exec(path);
  if (history) return historyFingerprint(model, Number(history[1] ?? 1));
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
  return digest([page ? 'page' : 'api', baseUrl, model.site, ...incidentInputs(model, incident)]);
}
