import { impactOf } from './impact.ts';
import type { ComponentStatusMap, Incident, IncidentUpdate } from './types.ts';
import type { Impact, IncidentStatus } from './vocabulary.ts';

/** Updates newest first; equal times keep the later-written one first. */
export function sortUpdatesNewestFirst<T extends { at: number }>(updates: readonly T[]): T[] {
  return updates
    .map((u, i) => ({ u, i }))
    .sort((a, b) => b.u.at - a.u.at || b.i - a.i)
    .map(({ u }) => u);
}

/** The incident's status is its latest update's (investigating when it has none). */
export function incidentStatus(incident: Pick<Incident, 'updates'>): IncidentStatus {
  return incident.updates[0]?.status ?? 'investigating';
}

/**
 * When it was resolved: the first update of the trailing run of resolved updates,
 * so a reopened incident is open again and re-resolving counts from the new resolution.
 */
export function resolvedAt(incident: Pick<Incident, 'updates'>): number | null {
  let at: number | null = null;
  for (const u of incident.updates) {
    if (u.status !== 'resolved') break;
    at = u.at;
  }
  return at;
}

export function isOpen(incident: Pick<Incident, 'updates'>): boolean {
  return resolvedAt(incident) === null;
}

/** First update, oldest. */
export function firstUpdate(incident: Pick<Incident, 'updates'>): IncidentUpdate | null {
  return incident.updates[incident.updates.length - 1] ?? null;
}

/** When the alert fired: `detected`, else the first update. */
export function detectedAt(incident: Incident): number | null {
  return incident.detectedAt ?? firstUpdate(incident)?.at ?? null;
}

/** When impact began: `started`, else detection. */
export function startedAt(incident: Incident): number | null {
  return incident.startedAt ?? detectedAt(incident);
}

export function incidentImpact(incident: Incident): Impact {
  return impactOf(incident.severity, incident.impactOverride);
}

/** From impact start to resolution (or to now while open). */
export function incidentDuration(incident: Incident, now: number): number | null {
  const start = startedAt(incident);
  if (start === null) return null;
  return Math.max(0, (resolvedAt(incident) ?? now) - start);
}

/** Component statuses the incident currently gives: the latest update that set them, else the incident's own. */
export function currentIncidentComponents(incident: Incident): ComponentStatusMap {
  for (const u of incident.updates) if (u.components) return u.components;
  return incident.components;
}

export interface StatusInterval {
  componentId: string;
  start: number;
  end: number;
  status: ComponentStatusMap[string];
}

/** The component statuses the incident imposed over time, from impact start to resolution (or now). */
export function incidentIntervals(incident: Incident, now: number): StatusInterval[] {
  const start = startedAt(incident);
  if (start === null || incident.falsePositive) return [];
  const end = resolvedAt(incident) ?? now;
  if (end <= start) return [];
  // Walk the updates oldest first; each one that sets statuses starts a new segment.
  const changes: { at: number; map: ComponentStatusMap }[] = [{ at: start, map: incident.components }];
  for (const u of [...incident.updates].reverse()) {
    if (!u.components) continue;
    // An update at (or before) the start replaces the initial statuses.
    if (u.at <= start) changes[0] = { at: start, map: u.components };
    else if (u.at < end) changes.push({ at: u.at, map: u.components });
  }
  const out: StatusInterval[] = [];
  changes.forEach((c, i) => {
    const segEnd = changes[i + 1]?.at ?? end;
    for (const [componentId, status] of Object.entries(c.map)) {
      if (segEnd > c.at) out.push({ componentId, start: c.at, end: segEnd, status });
    }
  });
  return out;
}
