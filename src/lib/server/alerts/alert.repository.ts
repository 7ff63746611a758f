// The alert tables: groups (one per Alertmanager groupKey or webhook dedupe_key) and their alerts. Connection first.
import type { Db } from '../db/connection.ts';
import type { AlertGroupTable } from '../db/schema.ts';
import { newId } from '../ids.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The group's row, made on first sight (concurrent first deliveries make one row). */
export async function ensureGroup(db: Db, g: { source: string; groupKey: string; title: string; severity: string; components: string[] }, now: number): Promise<AlertGroupTable> {
  await db
    .insertInto('alert_group')
    .values({
      id: newId(), source: g.source, group_key: g.groupKey, title: g.title, severity: g.severity, components: JSON.stringify(g.components),
      incident_id: null, state: 'recorded', note: null, last_update_id: null, resolve_due_at: null, created_at: iso(now), updated_at: iso(now),
    })
    .onConflict((oc) => oc.columns(['source', 'group_key']).doNothing())
    .execute();
  return db.selectFrom('alert_group').selectAll().where('source', '=', g.source).where('group_key', '=', g.groupKey).executeTakeFirstOrThrow();
}

export async function updateGroup(db: Db, id: string, patch: Partial<Omit<AlertGroupTable, 'id'>>): Promise<void> {
  await db.updateTable('alert_group').set(patch).where('id', '=', id).execute();
}

export async function findGroup(db: Db, id: string): Promise<AlertGroupTable | undefined> {
  return db.selectFrom('alert_group').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Groups whose hold-down has passed. */
export async function dueGroups(db: Db, now: number): Promise<AlertGroupTable[]> {
  return db.selectFrom('alert_group').selectAll().where('resolve_due_at', 'is not', null).where('resolve_due_at', '<=', iso(now)).execute();
}

/** The earliest hold-down still to come, or null. */
export async function nextDueAt(db: Db): Promise<number | null> {
  const r = await db.selectFrom('alert_group').select('resolve_due_at').where('resolve_due_at', 'is not', null).orderBy('resolve_due_at').limit(1).executeTakeFirst();
  return r?.resolve_due_at ? Date.parse(r.resolve_due_at) : null;
}

/**
 * Stores one alert idempotently (fingerprint + starts_at unique): a redelivered firing changes nothing, a resolve
 * marks it resolved, and a late firing never reopens a resolved one.
 */
export async function storeAlert(db: Db, groupId: string, a: { fingerprint: string; status: string; startsAt: number; endsAt: number | null; labels: object; annotations: object }, now: number): Promise<void> {
  const values = {
    id: newId(), group_id: groupId, fingerprint: a.fingerprint, starts_at: iso(a.startsAt), status: a.status, ends_at: a.endsAt === null ? null : iso(a.endsAt),
    labels: JSON.stringify(a.labels), annotations: JSON.stringify(a.annotations), received_at: iso(now), updated_at: iso(now),
  };
  await db
    .insertInto('alert')
    .values(values)
    .onConflict((oc) => {
      const on = oc.columns(['fingerprint', 'starts_at']);
      return a.status === 'resolved' ? on.doUpdateSet({ status: 'resolved', ends_at: values.ends_at, updated_at: values.updated_at }) : on.doNothing();
    })
    .execute();
}

/** The starts_at of the alert's firing row, when one is still firing (the generic webhook sends no start). */
export async function firingStart(db: Db, fingerprint: string): Promise<number | null> {
  const r = await db.selectFrom('alert').select('starts_at').where('fingerprint', '=', fingerprint).where('status', '=', 'firing').orderBy('starts_at', 'desc').limit(1).executeTakeFirst();
  return r ? Date.parse(r.starts_at) : null;
}

/** The group's alerts still firing (labels and start). */
export async function firingAlerts(db: Db, groupId: string): Promise<{ labels: Record<string, string>; annotations: Record<string, string>; startsAt: number }[]> {
  const rows = await db.selectFrom('alert').select(['labels', 'annotations', 'starts_at']).where('group_id', '=', groupId).where('status', '=', 'firing').orderBy('starts_at').execute();
  return rows.map((r) => ({ labels: JSON.parse(r.labels) as Record<string, string>, annotations: JSON.parse(r.annotations) as Record<string, string>, startsAt: Date.parse(r.starts_at) }));
}

export async function countAlerts(db: Db, groupId: string): Promise<number> {
  const r = await db.selectFrom('alert').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The id of the incident's newest update (to tell our updates from a person's). */
export async function latestUpdateId(db: Db, incidentId: string): Promise<string | null> {
  const r = await db.selectFrom('incident_update').select('id').where('incident_id', '=', incidentId).orderBy('at', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return r?.id ?? null;
}

/** The most recently changed groups, with how many alerts each has stored and how many still fire. */
export async function listGroups(db: Db, limit: number): Promise<(AlertGroupTable & { alerts: number; firing: number })[]> {
  const rows = await db.selectFrom('alert_group').selectAll().orderBy('updated_at', 'desc').limit(limit).execute();
  const out = [];
  for (const r of rows) out.push({ ...r, alerts: await countAlerts(db, r.id), firing: (await firingAlerts(db, r.id)).length });
  return out;
}

/** Takes the group's due hold-down for this pass; false when another instance (or pass) took it first. */
export async function claimDue(db: Db, id: string, dueAt: string): Promise<boolean> {
  const r = await db.updateTable('alert_group').set({ resolve_due_at: null }).where('id', '=', id).where('resolve_due_at', '=', dueAt).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
