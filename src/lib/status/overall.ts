import type { ComponentStatus, Impact, Indicator } from './vocabulary.ts';

export interface OverallStatus {
  indicator: Indicator;
  description: string;
}

/**
 * The page-wide indicator, as Statuspage words it. The rule (docs/decisions/002-overall-indicator.md),
 * first match wins:
 * 1. an open incident of critical impact, or every component in major outage → critical
 * 2. any component in major outage, or an open incident of major impact     → major
 * 3. any component in partial outage, or an open incident of minor impact   → minor "Minor Service Outage"
 * 4. any component with degraded performance                               → minor "Partially Degraded Service"
 * 5. any component under maintenance                                       → maintenance
 * 6. otherwise                                                             → none
 */
export function overallStatus(componentStatuses: readonly ComponentStatus[], openIncidentImpacts: readonly Impact[]): OverallStatus {
  const has = (s: ComponentStatus): boolean => componentStatuses.includes(s);
  const allMajor = componentStatuses.length > 0 && componentStatuses.every((s) => s === 'major_outage');
  if (openIncidentImpacts.includes('critical') || allMajor) return { indicator: 'critical', description: 'Major System Outage' };
  if (has('major_outage') || openIncidentImpacts.includes('major')) return { indicator: 'major', description: 'Partial System Outage' };
  if (has('partial_outage') || openIncidentImpacts.includes('minor')) return { indicator: 'minor', description: 'Minor Service Outage' };
  if (has('degraded_performance')) return { indicator: 'minor', description: 'Partially Degraded Service' };
  if (has('under_maintenance')) return { indicator: 'maintenance', description: 'Service Under Maintenance' };
  return { indicator: 'none', description: 'All Systems Operational' };
}
