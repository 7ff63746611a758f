// Alerts in: stores a delivery, then moves its group's incident by the rules in status/alerting.ts through the
// same incident service as admin (public page, subscribers' email, audit log alike).
import {
  alertComponents, componentStatusFor, decideDelivery, resolveIsDue, worstSeverity, type AlertAction, type AlertingConfig, type GroupState,
} from '../../status/alerting.ts';
import { isMaintenanceActive } from '../../status/maintenance.ts';
import { initialMessage, messageTemplate } from '../../status/runbook-templates.ts';
import type { Incident } from '../../status/types.ts';
import type { IncidentComponentStatus, Severity } from '../../status/vocabulary.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { NotFoundError, RefusedError } from '../errors.ts';
import { resolveNotify } from '../incidents/incident.schemas.ts';
import { createIncident, postUpdate } from '../incidents/incident.service.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import type { AlertGroupTable } from '../db/schema.ts';
import * as repo from './alert.repository.ts';
import type { Delivery } from './alert.schemas.ts';

/** What the service needs from outside: the current read model and the alerting settings. */
export interface AlertContext {
  model: () => Promise<StatusModel>;
  config: AlertingConfig;
  /** Set when content/alerting.yaml has problems: alerts are stored, nothing is published. */
  configProblem: string | null;
}

export interface DeliveryResult {
  group: string;
  incident: string | null;
  action: AlertAction['kind'];
  reason?: string;
}

// One delivery at a time in this process, so a group's first two deliveries cannot open two incidents.
let chain: Promise<unknown> = Promise.resolve();
function serially<T>(run: () => Promise<T>): Promise<T> {
  const next = chain.then(run, run);
  chain = next.catch(() => {});
  return next;
}

function groupState(row: AlertGroupTable, incident: Incident | undefined): GroupState {
  if (!incident) return { incident: null, resolveDueAt: null };
  const status = incident.updates[0]?.status ?? 'investigating';
  return {
    incident: { open: status !== 'resolved', status, personPosted: incident.updates[0]?.id !== row.last_update_id },
    resolveDueAt: row.resolve_due_at ? Date.parse(row.resolve_due_at) : null,
  };
}

const statusMap = (ids: readonly string[], severity: Severity): Record<string, IncidentComponentStatus> =>
  Object.fromEntries(ids.map((id) => [id, componentStatusFor(severity)]));

/** Opens the group's incident through the incident service (as admin would), remembering our update. */
async function openIncident(db: Db, model: StatusModel, group: AlertGroupTable, o: { title: string; severity: Severity; components: string[]; summary: string; detected: number }, actor: string, now: number): Promise<string> {
  const created = await createIncident(db, model, {
    title: o.title, severity: o.severity, started: null, detected: o.detected, acknowledged: null, message: initialMessage(o.summary),
    components: statusMap(o.components, o.severity), notify: resolveNotify('auto', o.severity), notifyChoice: 'auto', data_breach: false,
  }, actor, now);
  await repo.updateGroup(db, group.id, {
    incident_id: created.id, state: 'published', note: null, severity: o.severity, components: JSON.stringify(o.components),
    last_update_id: await repo.latestUpdateId(db, created.id), resolve_due_at: null, updated_at: new Date(now).toISOString(),
  });
  return created.id;
}

/** A person publishes a draft group from admin: its incident opens as an alert's would, then follows the alerts. */
export function publishDraft(db: Db, model: () => Promise<StatusModel>, groupId: string, actor: string, now: number): Promise<string> {
  return serially(async () => {
    const group = await repo.findGroup(db, groupId);
    if (!group) throw new NotFoundError('alert group', groupId);
    if (group.state !== 'draft') throw new RefusedError('Only a draft can be published; this alert group is not one.');
    const firing = await repo.firingAlerts(db, group.id);
    if (firing.length === 0) throw new RefusedError('Every alert of this group has resolved; there is nothing to publish.');
    const severity = group.severity as Severity;
    const summary = firing[0]!.annotations.summary ?? group.title;
    return openIncident(db, await model(), group, { title: group.title, severity, components: JSON.parse(group.components) as string[], summary, detected: Math.min(now, ...firing.map((f) => f.startsAt)) }, actor, now);
  });
}

/** Stores the delivery's alerts (idempotent) and applies its effect on the group's incident. */
export function receiveDelivery(db: Db, ctx: AlertContext, d: Delivery, now: number): Promise<DeliveryResult> {
  return serially(async () => {
    const model = await ctx.model();
    const known = new Set(model.components.map((c) => c.id));
    const labelSets = d.alerts.map((a) => a.labels);
    const severity = d.severity ?? worstSeverity(ctx.config, labelSets);
    const components = d.components ? d.components.filter((id) => known.has(id)) : alertComponents(ctx.config, labelSets, known);
    const group = await repo.ensureGroup(db, { source: d.source, groupKey: d.groupKey, title: d.title, severity, components }, now);
    for (const a of d.alerts) {
      const startsAt = a.startsAt ?? (await repo.firingStart(db, a.fingerprint)) ?? now;
      await repo.storeAlert(db, group.id, { ...a, startsAt }, now);
    }
    const firing = await repo.firingAlerts(db, group.id);
    const incident = group.incident_id ? model.incidentById.get(group.incident_id) : undefined;
    const state = groupState(group, incident);
    const inMaintenance = model.maintenance.find((m) => isMaintenanceActive(m, now) && m.components.some((c) => components.includes(c)));
    const silenced = ctx.configProblem ?? (inMaintenance ? `maintenance '${inMaintenance.id}' is in progress on an affected component` : null);
    const action = decideDelivery(state, { firing: firing.length, silenced, publish: ctx.config.publish[severity], now, resolveAfterMs: ctx.config.resolveAfterMs });
    const actor = d.source === 'alertmanager' ? 'alertmanager' : 'webhook';
    const summary = firing[0]?.annotations.summary ?? d.alerts.find((a) => a.annotations.summary)?.annotations.summary ?? d.title;
    const stamp = new Date(now).toISOString();
    switch (action.kind) {
      case 'open': {
        const id = await openIncident(db, model, group, { title: d.title, severity, components, summary, detected: Math.min(now, ...firing.map((f) => f.startsAt)) }, actor, now);
        return { group: group.id, incident: id, action: action.kind };
      }
      case 'investigating':
      case 'monitoring': {
        const id = group.incident_id!;
        const investigating = action.kind === 'investigating';
        await postUpdate(db, model, id, {
          at: Math.max(now, incident!.updates[0]?.at ?? 0), status: action.kind,
          message: investigating ? initialMessage(summary) : messageTemplate('monitoring'),
          components: investigating ? statusMap(components, severity) : {}, notify: resolveNotify('auto', incident!.severity), notifyChoice: 'auto',
        }, actor, now);
        await repo.updateGroup(db, group.id, {
          last_update_id: await repo.latestUpdateId(db, id), resolve_due_at: action.kind === 'monitoring' ? new Date(action.resolveDueAt).toISOString() : null,
          note: null, updated_at: stamp,
        });
        return { group: group.id, incident: id, action: action.kind };
      }
      case 'draft':
        await repo.updateGroup(db, group.id, { state: 'draft', incident_id: null, severity, components: JSON.stringify(components), note: `${severity} alerts are drafts (alerting.yaml publish); publish from admin`, updated_at: stamp });
        await recordAudit(db, { actor, action: 'alert_draft', target: group.id, detail: `${severity} ${d.title}` }, now);
        return { group: group.id, incident: null, action: action.kind };
      case 'none':
        await repo.updateGroup(db, group.id, { note: action.reason, updated_at: stamp, ...(firing.length > 0 && state.resolveDueAt !== null && state.incident?.personPosted ? { resolve_due_at: null } : {}) });
        if (silenced) await recordAudit(db, { actor, action: 'alert_recorded', target: group.id, detail: `published nothing: ${silenced}`.slice(0, 1000) }, now);
        return { group: group.id, incident: group.incident_id, action: action.kind, reason: action.reason };
    }
  });
}

/** Resolves the incidents whose all-resolved hold-down has passed; returns the next due time (or null). */
export function resolveDueGroups(db: Db, model: () => Promise<StatusModel>, now: number): Promise<number | null> {
  return serially(async () => {
    const m = await model();
    for (const row of await repo.dueGroups(db, now)) {
      if (!(await repo.claimDue(db, row.id, row.resolve_due_at!))) continue;
      const incident = row.incident_id ? m.incidentById.get(row.incident_id) : undefined;
      const firing = (await repo.firingAlerts(db, row.id)).length;
      const state = groupState(row, incident);
      if (resolveIsDue(state, firing, now)) {
        const actor = row.source === 'alertmanager' ? 'alertmanager' : 'webhook';
        await postUpdate(db, m, incident!.id, {
          at: Math.max(now, incident!.updates[0]?.at ?? 0), status: 'resolved', message: messageTemplate('resolved'), components: {},
          notify: resolveNotify('auto', incident!.severity), notifyChoice: 'auto',
        }, actor, now);
        await repo.updateGroup(db, row.id, { last_update_id: await repo.latestUpdateId(db, incident!.id), resolve_due_at: null, state: 'resolved', updated_at: new Date(now).toISOString() });
      } else {
        await repo.updateGroup(db, row.id, { resolve_due_at: null, note: state.incident?.personPosted ? 'a person has posted on the incident' : row.note, updated_at: new Date(now).toISOString() });
      }
    }
    return repo.nextDueAt(db);
  });
}
