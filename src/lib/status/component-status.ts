import type { ComponentStatus } from './vocabulary.ts';

// Severity order for the worst-of rule; maintenance ranks above operational only.
const rank: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/** Compares two statuses by how bad they are (negative when a is better). */
export function compareComponentStatus(a: ComponentStatus, b: ComponentStatus): number {
  return rank[a] - rank[b];
}

/** The worst of the given statuses; operational when there are none. */
export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const s of statuses) if (rank[s] > rank[worst]) worst = s;
  return worst;
}

export interface ComponentStatusInputs {
  /** The component's baseline (from components.yaml, or set by hand in admin). */
  baseline: ComponentStatus;
  /** Statuses that unresolved incidents give this component. */
  incidentStatuses: readonly ComponentStatus[];
  /** True while an in-progress maintenance names this component. */
  inMaintenance: boolean;
}

/**
 * A component's current status: the worst of its baseline and its open incidents;
 * under_maintenance while maintenance is in progress, unless an incident gives something worse.
 */
export function currentComponentStatus(input: ComponentStatusInputs): ComponentStatus {
  const fromIncidents = worstStatus([input.baseline, ...input.incidentStatuses]);
  if (input.inMaintenance && rank[fromIncidents] < rank.under_maintenance) return 'under_maintenance';
  return fromIncidents;
}

/** A group shows its worst member. */
export function groupStatus(memberStatuses: readonly ComponentStatus[]): ComponentStatus {
  return worstStatus(memberStatuses);
}
