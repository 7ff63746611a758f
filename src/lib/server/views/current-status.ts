// The state of the page right now: component statuses, open incidents, maintenance, overall banner.
import { currentComponentStatus, groupStatus } from '../../status/component-status.ts';
import { currentIncidentComponents, incidentImpact } from '../../status/incident.ts';
import { isMaintenanceActive, maintenanceStatus } from '../../status/maintenance.ts';
import { overallStatus, type OverallStatus } from '../../status/overall.ts';
import type { Incident, Maintenance } from '../../status/types.ts';
import type { ComponentStatus } from '../../status/vocabulary.ts';
import type { StatusModel } from '../status-data/status-model.ts';

export interface CurrentStatus {
  overall: OverallStatus;
  componentStatus: Map<string, ComponentStatus>;
  groupStatus: Map<string, ComponentStatus>;
  openIncidents: Incident[];
  activeMaintenance: Maintenance[];
  upcomingMaintenance: Maintenance[];
}

/** Derives every current status from the model at `now`; nothing here is stored. */
export function currentStatus(model: StatusModel, now: number): CurrentStatus {
  const openIncidents = model.openIncidents;
  const activeMaintenance = model.maintenance.filter((m) => isMaintenanceActive(m, now));
  const upcomingMaintenance = model.maintenance.filter((m) => maintenanceStatus(m, now) === 'scheduled');
  const fromIncidents = new Map<string, ComponentStatus[]>();
  for (const incident of openIncidents) {
    if (incident.falsePositive) continue;
    for (const [id, status] of Object.entries(currentIncidentComponents(incident))) {
      fromIncidents.set(id, [...(fromIncidents.get(id) ?? []), status]);
    }
  }
  const inMaintenance = new Set(activeMaintenance.flatMap((m) => m.components));
  const componentStatus = new Map<string, ComponentStatus>();
  for (const c of model.components) {
    componentStatus.set(c.id, currentComponentStatus({
      baseline: c.baseline,
      incidentStatuses: fromIncidents.get(c.id) ?? [],
      inMaintenance: inMaintenance.has(c.id),
    }));
  }
  const groups = new Map<string, ComponentStatus>();
  for (const g of model.groups) groups.set(g.id, groupStatus(g.components.map((c) => componentStatus.get(c.id)!)));
  return {
    overall: overallStatus([...componentStatus.values()], openIncidents.filter((i) => !i.falsePositive).map(incidentImpact)),
    componentStatus,
    groupStatus: groups,
    openIncidents,
    activeMaintenance,
    upcomingMaintenance,
  };
}
