// Incident rows: plain functions taking the connection (or a transaction) first.
import type { Db } from '../db/connection.ts';
import type { IncidentTable, IncidentUpdateTable } from '../db/schema.ts';


export async function incidentIdsTaken(db: Db, prefix: string): Promise<Set<string>> {
  const rows = await db.selectFrom('incident').select('id').where('id', 'like', `${prefix}%`).execute();
  return new Set(rows.map((r) => r.id));
}

export async function findIncidentRow(db: Db, id: string): Promise<IncidentTable | undefined> {
  return db.selectFrom('incident').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertIncident(db: Db, row: IncidentTable): Promise<void> {
  await db.insertInto('incident').values(row).execute();
}

export async function updateIncident(db: Db, id: string, patch: Partial<IncidentTable>): Promise<void> {
  await db.updateTable('incident').set(patch).where('id', '=', id).execute();
}

export async function deleteIncidentRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('escalation_record').where('incident_id', '=', id).execute();
  await db.deleteFrom('incident_update').where('incident_id', '=', id).execute();
  await db.deleteFrom('postmortem').where('incident_id', '=', id).execute();
  await db.deleteFrom('incident').where('id', '=', id).execute();
}

export async function insertUpdate(db: Db, row: IncidentUpdateTable): Promise<void> {
  await db.insertInto('incident_update').values(row).execute();
}

export async function findUpdateRow(db: Db, id: string): Promise<IncidentUpdateTable | undefined> {
  return db.selectFrom('incident_update').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateUpdateRow(db: Db, id: string, patch: Partial<IncidentUpdateTable>): Promise<void> {
  await db.updateTable('incident_update').set(patch).where('id', '=', id).execute();
}

export async function clearOverrides(db: Db, componentIds: string[]): Promise<void> {
  if (componentIds.length === 0) return;
  await db.deleteFrom('component_override').where('component_id', 'in', componentIds).execute();
}

export async function listEscalationRecords(db: Db, incidentId: string): Promise<{ role: string; notifiedWho: string; notifiedAt: number; recordedBy: string }[]> {
  const rows = await db.selectFrom('escalation_record').selectAll().where('incident_id', '=', incidentId).orderBy('notified_at').execute();
  return rows.map((r) => ({ role: r.role, notifiedWho: r.notified_who, notifiedAt: Date.parse(r.notified_at), recordedBy: r.recorded_by }));
}

export async function insertEscalationRecord(db: Db, row: { id: string; incident_id: string; role: string; notified_who: string; notified_at: string; recorded_by: string }): Promise<void> {
  await db.insertInto('escalation_record').values(row).execute();
}
