// Statuspage's incident fields ↔ ours, as pure functions: what a create or PATCH body asks for, in our vocabulary.
import { componentStatuses, impacts, incidentStatuses, incidentStatusLabels, type ComponentStatus, type Impact, type IncidentComponentStatus, type IncidentStatus, type Severity } from '../../../status/vocabulary.ts';
import type { Body, BodyValue } from './request-body.ts';

/** A field of the request that is wrong; `field` is Statuspage's name for it (incident[status]). */
export class FieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** What a create or update body asks for; absent fields are undefined. */
export interface IncidentWrite {
  name?: string;
  status?: IncidentStatus;
  impactOverride?: Impact;
  body?: string;
  components?: Record<string, ComponentStatus>;
  componentIds?: string[];
  deliverNotifications?: boolean;
}

const text = (v: BodyValue | undefined, field: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new FieldError(field, `${field} must be a string`);
};

function oneOf<T extends string>(v: BodyValue | undefined, field: string, allowed: readonly T[]): T | undefined {
  const s = text(v, field);
  if (s === undefined || s === '') return undefined;
  if (!(allowed as readonly string[]).includes(s)) throw new FieldError(field, `${field} must be one of ${allowed.join(', ')}, not '${s.slice(0, 40)}'`);
  return s as T;
}

/** true/false, also as the strings "true"/"false"/"1"/"0" a form sends. */
export function booleanField(v: BodyValue | undefined, field: string): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === 'true' || v === '1' || v === 1) return true;
  if (v === false || v === 'false' || v === '0' || v === 0) return false;
  throw new FieldError(field, `${field} must be true or false`);
}

/** Reads `incident[…]`; component ids must be this page's leaf components. */
export function readIncidentWrite(incident: Body, knownComponents: readonly string[]): IncidentWrite {
  const out: IncidentWrite = {};
  const name = text(incident.name, 'incident[name]');
  if (name !== undefined) out.name = name;
  const status = oneOf(incident.status, 'incident[status]', incidentStatuses);
  if (status) out.status = status;
  const impact = oneOf(incident.impact_override, 'incident[impact_override]', impacts);
  if (impact) out.impactOverride = impact;
  const body = text(incident.body, 'incident[body]');
  if (body !== undefined) out.body = body;
  const deliver = booleanField(incident.deliver_notifications, 'incident[deliver_notifications]');
  if (deliver !== undefined) out.deliverNotifications = deliver;
  let comps: BodyValue | undefined = incident.components;
  // The generic example in Statuspage's reference sends components as a list of ids: read it as component_ids.
  if (Array.isArray(comps)) {
    incident = { ...incident, component_ids: [...(Array.isArray(incident.component_ids) ? incident.component_ids : []), ...comps] };
    comps = undefined;
  }
  if (comps !== undefined && comps !== null) {
    if (typeof comps !== 'object' || Array.isArray(comps)) throw new FieldError('incident[components]', 'incident[components] must map component ids to statuses');
    out.components = {};
    for (const [id, v] of Object.entries(comps)) {
      const field = `incident[components][${id}]`;
      if (!knownComponents.includes(id)) throw new FieldError(field, `Unknown component '${id}'`);
      out.components[id] = oneOf(v, field, componentStatuses) ?? 'operational';
    }
  }
  const ids = incident.component_ids;
  if (ids !== undefined && ids !== null) {
    const list = Array.isArray(ids) ? ids : [ids];
    out.componentIds = list.map((v, i) => {
      const id = text(v, `incident[component_ids][${i}]`) ?? '';
      if (!knownComponents.includes(id)) throw new FieldError('incident[component_ids]', `Unknown component '${id}'`);
      return id;
    });
  }
  return out;
}

/**
 * The statuses an incident gives components: the `components` map's outage statuses, and `component_ids` without a
 * status there as degraded_performance. operational means not (or no longer) affected; under_maintenance is refused.
 */
export function affectedComponents(w: Pick<IncidentWrite, 'components' | 'componentIds'>): Record<string, IncidentComponentStatus> {
  const out: Record<string, IncidentComponentStatus> = {};
  for (const id of w.componentIds ?? []) if (!w.components?.[id]) out[id] = 'degraded_performance';
  for (const [id, status] of Object.entries(w.components ?? {})) {
    if (status === 'under_maintenance') throw new FieldError(`incident[components][${id}]`, 'under_maintenance belongs to scheduled maintenance, not incidents');
    if (status === 'operational') delete out[id];
    else out[id] = status;
  }
  return out;
}

const severityOfImpact: Record<Impact, Severity> = { critical: 'P0', major: 'P1', minor: 'P2', none: 'P3' };
const severityOfStatus: Record<IncidentComponentStatus, Severity> = { major_outage: 'P1', partial_outage: 'P2', degraded_performance: 'P3' };
const rank: Record<Severity, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/** Our severity for a new incident: from impact_override when given, else from the worst affected component. */
export function severityFor(impact: Impact | undefined, components: Record<string, IncidentComponentStatus>): Severity {
  if (impact) return severityOfImpact[impact];
  let worst: Severity = 'P3';
  for (const s of Object.values(components)) if (rank[severityOfStatus[s]] < rank[worst]) worst = severityOfStatus[s];
  return worst;
}

/** deliver_notifications → the admin form's notify choice: absent follows the runbook (auto), false never emails. */
export function notifyChoiceFor(deliver: boolean | undefined): 'auto' | 'yes' | 'no' {
  return deliver === undefined ? 'auto' : deliver ? 'yes' : 'no';
}

/** The public update text when a request changes the status without a body (ours always needs a message). */
export function defaultUpdateMessage(status: IncidentStatus): string {
  return `${incidentStatusLabels[status]}.`;
}
