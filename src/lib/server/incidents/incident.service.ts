// Admin writes to incidents: each action is one transaction with its audit entry, then the read model refreshes.
import { fieldLimits, hasLineBreak, multiLineMessage, tooLongMessage } from '../../status/field-limits.ts';
import { isOpen } from '../../status/incident.ts';
import { dayKey } from '../../status/time.ts';
import type { Incident } from '../../status/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { NotFoundError, RefusedError } from '../errors.ts';
import { enqueueIncidentUpdate, type NotifyOutcome } from '../email/notifications.ts';
import { newId } from '../ids.ts';
import { writePublicData } from '../status-data/public-write.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import * as repo from './incident.repository.ts';
import type { CorrectionInput, EditUpdateInput, NewIncidentInput, UpdateInput } from './incident.schemas.ts';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export function slugify(title: string): string {
  return title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'incident';
}

/** An id like the files' (2026-11-20-api-errors), unique across files and the database. */
async function newIncidentId(db: Db, model: StatusModel, title: string, detected: number): Promise<string> {
  const base = `${dayKey(detected, model.site.timezone)}-${slugify(title)}`;
  const taken = await repo.incidentIdsTaken(db, base);
  const free = (id: string): boolean => !taken.has(id) && !model.incidentById.has(id) && !model.postmortemById.has(id);
  let id = base;
  for (let n = 2; !free(id); n++) id = `${base}-${n}`;
  return id;
}

/** The admin-owned incident, or an error: unknown ids are 404, file incidents are read-only. */
export function editableIncident(model: StatusModel, id: string): Incident {
  const incident = model.incidentById.get(id);
  if (!incident) throw new NotFoundError('incident', id);
  if (incident.source === 'file') throw new RefusedError(`This incident comes from content/incidents/${id}.md; change it in git.`);
  return incident;
}

/** Declares an incident with its first update; returns its id and whom that update emailed. */
export async function createIncident(db: Db, model: StatusModel, input: NewIncidentInput, actor: string, now: number): Promise<{ id: string; outcome: NotifyOutcome }> {
  const id = await newIncidentId(db, model, input.title, input.detected);
  const stamp = new Date(now).toISOString();
  const first = { id: newId(), at: Math.max(now, input.detected), status: 'investigating' as const, message: input.message, components: null, notify: input.notify };
  const outcome = await writePublicData(db, async (trx) => {
    await repo.insertIncident(trx, {
      id,
      title: input.title,
      severity: input.severity,
      impact_override: null,
      components: JSON.stringify(input.components),
      started_at: iso(input.started),
      detected_at: iso(input.detected),
      acknowledged_at: iso(input.acknowledged),
      mitigated_at: null,
      false_positive: 0,
      repeat_of: null,
      body: '',
      notify_subscribers: input.notify ? 1 : 0,
      data_breach: input.data_breach ? 1 : 0,
      audience: input.audience ?? 'public',
      created_at: stamp,
      updated_at: stamp,
    });
    await repo.insertUpdate(trx, {
      id: first.id, incident_id: id, at: new Date(first.at).toISOString(), status: 'investigating', message: input.message,
      components: null, notify_subscribers: input.notify ? 1 : 0, created_at: stamp,
    });
    await recordAudit(trx, { actor, action: 'incident_created', target: id, detail: `${input.severity} ${input.title}` }, now);
    return enqueueIncidentUpdate(trx, model, { id, title: input.title, severity: input.severity, components: input.components, updates: [], startedAt: input.started ?? null, detectedAt: input.detected, audience: input.audience }, first, now);
  });
  return { id, outcome };
}

/** Posts an update; refused after resolution (reopen first). Resolving returns components to their baseline. */
export async function postUpdate(db: Db, model: StatusModel, id: string, input: UpdateInput, actor: string, now: number, options: { reopen?: boolean } = {}): Promise<NotifyOutcome> {
  const incident = editableIncident(model, id);
  if (!isOpen(incident) && !options.reopen) throw new RefusedError('This incident is resolved. Reopen it before posting another update.', 'status');
  if (options.reopen && isOpen(incident)) throw new RefusedError('This incident is not resolved.', 'status');
  if (options.reopen && input.status === 'resolved') throw new RefusedError('A reopening update cannot itself resolve the incident.', 'status');
  const latest = incident.updates[0]?.at ?? 0;
  if (input.at < latest) throw new RefusedError('An update cannot be dated before the latest one; edit that one instead.', 'at');
  const current = Object.keys(input.components).length > 0 ? input.components : null;
  const stamp = new Date(now).toISOString();
  const update = { id: newId(), at: input.at, status: input.status, message: input.message, components: current, notify: input.notify };
  const patch: Parameters<typeof repo.updateIncident>[2] = { updated_at: stamp };
  // The first monitoring update marks mitigation unless a time was given (corrections can move it).
  if (input.status === 'monitoring' && incident.mitigatedAt === null) patch.mitigated_at = iso(input.at);
  if (current) patch.components = JSON.stringify({ ...incident.components, ...current });
  const outcome = await writePublicData(db, async (trx) => {
    await repo.insertUpdate(trx, {
      id: update.id, incident_id: id, at: new Date(input.at).toISOString(), status: input.status, message: input.message,
      components: current ? JSON.stringify(current) : null, notify_subscribers: input.notify ? 1 : 0, created_at: stamp,
    });
    await repo.updateIncident(trx, id, patch);
    if (input.status === 'resolved') await repo.clearOverrides(trx, Object.keys({ ...incident.components, ...(current ?? {}) }));
    const action = options.reopen ? 'incident_reopened' : input.status === 'resolved' ? 'incident_resolved' : 'incident_updated';
    await recordAudit(trx, { actor, action, target: id, detail: `${input.status}: ${input.message.slice(0, 200)}` }, now);
    return enqueueIncidentUpdate(trx, model, incident, update, now);
  });
  return outcome;
}

/** Corrects an update's text or time (recorded in the audit log with the old text). */
export async function editUpdate(db: Db, model: StatusModel, id: string, input: EditUpdateInput, actor: string, now: number): Promise<void> {
  editableIncident(model, id);
  const row = await repo.findUpdateRow(db, input.update_id);
  if (!row || row.incident_id !== id) throw new NotFoundError('update', input.update_id);
  await writePublicData(db, async (trx) => {
    await repo.updateUpdateRow(trx, row.id, { message: input.message, at: new Date(input.at!).toISOString() });
    await repo.updateIncident(trx, id, { updated_at: new Date(now).toISOString() });
    await recordAudit(trx, { actor, action: 'update_edited', target: id, detail: `was ${row.at} "${row.message.slice(0, 300)}"` }, now);
  });
}

export async function deleteIncident(db: Db, model: StatusModel, id: string, actor: string, now: number): Promise<void> {
  const incident = editableIncident(model, id);
  await writePublicData(db, async (trx) => {
    await repo.deleteIncidentRow(trx, id);
    await recordAudit(trx, { actor, action: 'incident_deleted', target: id, detail: `${incident.severity} ${incident.title}` }, now);
  });
}

/** Records who was told at an escalation step, and when. */
export async function recordEscalation(db: Db, model: StatusModel, id: string, role: string, who: string, at: number, actor: string, now: number): Promise<void> {
  const incident = editableIncident(model, id);
  if (incident.severity !== 'P0' && incident.severity !== 'P1') throw new RefusedError('Escalation applies to P0 and P1 incidents.');
  if (who.trim() === '') throw new RefusedError('Say who was told.', 'who');
  if (who.trim().length > fieldLimits.name) throw new RefusedError(tooLongMessage('Who was told', fieldLimits.name), 'who');
  if (hasLineBreak(who)) throw new RefusedError(multiLineMessage('Who was told'), 'who');
  if (role.length > fieldLimits.name) throw new RefusedError(tooLongMessage('Role', fieldLimits.name), 'role');
  await db.transaction().execute(async (trx) => {
    await repo.insertEscalationRecord(trx, { id: newId(), incident_id: id, role, notified_who: who.trim(), notified_at: new Date(at).toISOString(), recorded_by: actor });
    await recordAudit(trx, { actor, action: 'escalation_recorded', target: id, detail: `${role}: ${who.trim()}` }, now);
  });
}


/** Confirms that an incident repeats an earlier one (from the metrics page's suggestions), without a public update. */
export async function markRepeat(db: Db, model: StatusModel, id: string, repeatOf: string, actor: string, now: number): Promise<void> {
  editableIncident(model, id);
  if (repeatOf === id || !model.incidentById.has(repeatOf)) throw new RefusedError(`Unknown incident '${repeatOf}'`, 'repeat_of');
  await writePublicData(db, async (trx) => {
    await repo.updateIncident(trx, id, { repeat_of: repeatOf, updated_at: new Date(now).toISOString() });
    await recordAudit(trx, { actor, action: 'repeat_confirmed', target: id, detail: `repeat of ${repeatOf}` }, now);
  });
}

const shown = (v: string | number | boolean | null): string => (v === null ? 'none' : typeof v === 'number' ? new Date(v).toISOString() : String(v));

/**
 * Corrects what was declared (title, severity, impact, affected components, the four times, false positive,
 * repeat): no public update and no email, one audit entry per changed field. Returns the fields changed.
 */
export async function correctIncident(db: Db, model: StatusModel, id: string, input: CorrectionInput, actor: string, now: number): Promise<string[]> {
  const incident = editableIncident(model, id);
  if (input.repeat_of !== null && (input.repeat_of === id || !model.incidentById.has(input.repeat_of))) throw new RefusedError(`Unknown incident '${input.repeat_of}'`, 'repeat_of');
  const before: Record<string, string | number | boolean | null> = {
    title: incident.title, severity: incident.severity, impact: incident.impactOverride, components: JSON.stringify(incident.components),
    started: incident.startedAt, detected: incident.detectedAt, acknowledged: incident.acknowledgedAt, mitigated: incident.mitigatedAt,
    false_positive: incident.falsePositive, repeat_of: incident.repeatOf, team_only: incident.audience === 'internal',
  };
  const after: typeof before = {
    title: input.title, severity: input.severity, impact: input.impact, components: JSON.stringify(input.components),
    started: input.started, detected: input.detected, acknowledged: input.acknowledged, mitigated: input.mitigated,
    false_positive: input.false_positive, repeat_of: input.repeat_of, team_only: input.team_only ?? false,
  };
  const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
  if (changed.length === 0) return [];
  await writePublicData(db, async (trx) => {
    await repo.updateIncident(trx, id, {
      title: input.title, severity: input.severity, impact_override: input.impact, components: JSON.stringify(input.components),
      started_at: iso(input.started), detected_at: iso(input.detected), acknowledged_at: iso(input.acknowledged), mitigated_at: iso(input.mitigated),
      false_positive: input.false_positive ? 1 : 0, repeat_of: input.repeat_of, audience: input.team_only ? 'internal' : 'public', updated_at: new Date(now).toISOString(),
    });
    for (const k of changed) {
      await recordAudit(trx, { actor, action: 'incident_corrected', target: id, detail: `${k}: ${shown(before[k] ?? null)} → ${shown(after[k] ?? null)}`.slice(0, 1000) }, now);
    }
  });
  return changed;
}
