// The manage API's incidents: Statuspage v1 requests carried out by the admin's own incident services.
import type { Incident } from '../../../status/types.ts';
import { parseForm, type FieldErrors } from '../../admin/form.ts';
import type { Db } from '../../db/connection.ts';
import { env } from '../../env.ts';
import { NotFoundError } from '../../errors.ts';
import { newIncidentSchema, updateSchema, type FormContext } from '../../incidents/incident.schemas.ts';
import { correctIncident, createIncident, deleteIncident, postUpdate } from '../../incidents/incident.service.ts';
import { isOpen } from '../../../status/incident.ts';
import { fieldLimits } from '../../../status/field-limits.ts';
import { statusModel } from '../../status-data/runtime.ts';
import type { StatusModel } from '../../status-data/status-model.ts';
import { makeApiContext } from '../api-context.ts';
import { spState, type SpState } from '../statuspage.ts';
import { spIncident, type SpIncident } from '../statuspage-incident.ts';
import { affectedComponents, defaultUpdateMessage, FieldError, notifyChoiceFor, readIncidentWrite, severityFor } from './incident-fields.ts';
import { ReadOnlyRecordError } from './read-only-error.ts';
import { section, type Body } from './request-body.ts';

/** A v1 incident: the v2 shape plus what only the manage API shows. */
export type ManagedIncident = SpIncident & { impact_override: string | null };

/** The current state for answering (after a write, the model already includes it). */
export async function manageState(now: number): Promise<SpState> {
  return spState(makeApiContext(await statusModel(), now, env().SITE_URL));
}

export function managedIncident(s: SpState, incident: Incident): ManagedIncident {
  return { ...spIncident(s, incident), impact_override: incident.impactOverride };
}

function formContext(model: StatusModel, now: number): FormContext {
  return { timeZone: model.site.timezone, now, componentIds: model.components.map((c) => c.id) };
}

// Our form's field names back to Statuspage's, so an error names what the client sent.
function firstError(errors: FieldErrors): FieldError {
  const [key, message] = Object.entries(errors)[0] ?? ['form', 'Invalid request'];
  const field = key === 'title' ? 'incident[name]' : key === 'message' ? 'incident[body]' : key.startsWith('component.') ? `incident[components][${key.slice(10)}]` : `incident[${key}]`;
  return new FieldError(field, message);
}

function writableIncident(model: StatusModel, id: string): Incident {
  const incident = model.incidentById.get(id);
  if (!incident) throw new NotFoundError('incident', id);
  if (incident.source === 'file') throw new ReadOnlyRecordError(`content/incidents/${id}.md`, `Incident '${id}' comes from content/incidents/${id}.md and is read-only here; change it in git.`);
  return incident;
}

const componentFields = (map: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(map).map(([id, s]) => [`component.${id}`, s]));

/** GET …/incidents: every incident with an update, newest first; `limit` (≤ 100) and `page` as Statuspage pages them. */
export function listIncidents(s: SpState, query: URLSearchParams): ManagedIncident[] {
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? query.get('per_page')) || 100));
  const page = Math.max(1, Number(query.get('page')) || 1);
  const q = query.get('q')?.toLowerCase() ?? '';
  return s.ctx.model.incidents
    .filter((i) => i.updates.length > 0 && (q === '' || i.title.toLowerCase().includes(q)))
    .slice((page - 1) * limit, page * limit)
    .map((i) => managedIncident(s, i));
}

/** GET …/incidents/unresolved */
export function unresolvedIncidents(s: SpState): ManagedIncident[] {
  return s.current.openIncidents.map((i) => managedIncident(s, i));
}

/** GET …/incidents/{id} */
export function getIncident(s: SpState, id: string): ManagedIncident {
  const incident = s.ctx.model.incidentById.get(id);
  if (!incident || incident.updates.length === 0) throw new NotFoundError('incident', id);
  return managedIncident(s, incident);
}

/** POST …/incidents: declares the incident like the admin form does; a status other than investigating is a second update. */
export async function createManagedIncident(db: Db, body: Body, actor: string, now: number): Promise<ManagedIncident> {
  const model = await statusModel();
  const w = readIncidentWrite(section(body, 'incident'), model.components.map((c) => c.id));
  if (w.name === undefined || w.name.trim() === '') throw new FieldError('incident[name]', 'incident[name] is required');
  const components = affectedComponents(w);
  const status = w.status ?? 'investigating';
  // With another status the body goes on the second update, so the page does not show it twice.
  const message = w.body?.trim() && status === 'investigating' ? w.body : defaultUpdateMessage('investigating');
  const notify = notifyChoiceFor(w.deliverNotifications);
  const values = { title: w.name, severity: severityFor(w.impactOverride, components), message, notify: status === 'investigating' ? notify : 'no', ...componentFields(components) };
  const parsed = parseForm(newIncidentSchema(formContext(model, now), values), values);
  if (!parsed.ok) throw firstError(parsed.errors);
  const { id } = await createIncident(db, model, parsed.data, actor, now);
  if (status !== 'investigating') {
    const fresh = await statusModel();
    const incident = fresh.incidentById.get(id)!;
    const update = { status, message: w.body?.trim() ? w.body : defaultUpdateMessage(status), notify };
    const u = parseForm(updateSchema(formContext(fresh, now), update, incident.severity), update);
    if (!u.ok) throw firstError(u.errors);
    await postUpdate(db, fresh, id, u.data, actor, now);
  }
  const s = await manageState(now);
  return managedIncident(s, s.ctx.model.incidentById.get(id)!);
}

/** PATCH …/incidents/{id}: name and impact_override correct the incident; status, body and components post an update. */
export async function updateManagedIncident(db: Db, id: string, body: Body, actor: string, now: number): Promise<ManagedIncident> {
  const model = await statusModel();
  const incident = writableIncident(model, id);
  const w = readIncidentWrite(section(body, 'incident'), model.components.map((c) => c.id));
  if (w.name !== undefined && (w.name.trim() === '' || w.name.length > fieldLimits.title || /[\r\n]/.test(w.name))) {
    throw new FieldError('incident[name]', `incident[name] must be one line of 1 to ${fieldLimits.title} characters`);
  }
  const rename = w.name !== undefined && w.name.trim() !== incident.title;
  const reimpact = w.impactOverride !== undefined && w.impactOverride !== incident.impactOverride;
  if (rename || reimpact) {
    await correctIncident(db, model, id, {
      title: rename ? w.name!.trim() : incident.title, severity: incident.severity, impact: reimpact ? w.impactOverride! : incident.impactOverride,
      components: incident.components, started: incident.startedAt, detected: incident.detectedAt, acknowledged: incident.acknowledgedAt,
      team_only: incident.audience === 'internal',
      mitigated: incident.mitigatedAt, false_positive: incident.falsePositive, repeat_of: incident.repeatOf,
    }, actor, now);
  }
  if (w.status !== undefined || w.body !== undefined || w.components !== undefined || w.componentIds !== undefined) {
    const fresh = await statusModel();
    const current = fresh.incidentById.get(id)!;
    const status = w.status ?? (isOpen(current) ? current.updates[0]!.status : 'investigating');
    const values = { status, message: w.body?.trim() ? w.body : defaultUpdateMessage(status), notify: notifyChoiceFor(w.deliverNotifications), at: '', ...componentFields(affectedComponents(w)) };
    const parsed = parseForm(updateSchema(formContext(fresh, now), values, current.severity), values);
    if (!parsed.ok) throw firstError(parsed.errors);
    await postUpdate(db, fresh, id, parsed.data, actor, now, { reopen: !isOpen(current) });
  }
  const s = await manageState(now);
  return managedIncident(s, s.ctx.model.incidentById.get(id)!);
}

/** DELETE …/incidents/{id}: answers with the incident as it was. */
export async function deleteManagedIncident(db: Db, id: string, actor: string, now: number): Promise<ManagedIncident> {
  const model = await statusModel();
  writableIncident(model, id);
  const before = managedIncident(await manageState(now), model.incidentById.get(id)!);
  await deleteIncident(db, model, id, actor, now);
  return before;
}
