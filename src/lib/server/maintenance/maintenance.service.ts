// Scheduling maintenance from admin and posting its updates; one transaction each, audited.
import { z } from 'astro/zod';
import { fieldLimits, hasLineBreak, multiLineMessage, tooLongMessage } from '../../status/field-limits.ts';
import { parseLocalDateTime, dayKey } from '../../status/time.ts';
import { maintenanceStatuses } from '../../status/vocabulary.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { NotFoundError, RefusedError } from '../errors.ts';
import { enqueueMaintenanceScheduled, enqueueMaintenanceUpdate } from '../email/notifications.ts';
import { newId } from '../ids.ts';
import { slugify } from '../incidents/incident.service.ts';
import { writePublicData } from '../status-data/public-write.ts';
import type { StatusModel } from '../status-data/status-model.ts';

function localTime(timeZone: string, label: string) {
  return z.string({ error: `${label} is required` }).transform((v, c) => {
    const t = parseLocalDateTime(v ?? '', timeZone);
    if (t === null) {
      c.addIssue({ code: 'custom', message: `${label} must be a date and time` });
      return z.NEVER;
    }
    return t;
  });
}

export function maintenanceSchema(timeZone: string, componentIds: readonly string[], components: string[]) {
  return z
    .object({
      title: z.string({ error: 'Title is required' }).trim().min(1, { error: 'Title is required' }).max(fieldLimits.title, { error: tooLongMessage('Title', fieldLimits.title) }).refine((v) => !hasLineBreak(v), { error: multiLineMessage('Title') }),
      scheduled_start: localTime(timeZone, 'Start'),
      scheduled_end: localTime(timeZone, 'End'),
      body: z.string().max(fieldLimits.message, { error: tooLongMessage('Details', fieldLimits.message) }).optional().default(''),
      message: z.string().max(fieldLimits.message, { error: tooLongMessage('Announcement', fieldLimits.message) }).optional().default(''),
    })
    .transform((v, c) => {
      if (v.scheduled_end <= v.scheduled_start) c.addIssue({ code: 'custom', path: ['scheduled_end'], message: 'End must be after the start' });
      for (const id of components) if (!componentIds.includes(id)) c.addIssue({ code: 'custom', path: ['components'], message: `Unknown component '${id}'` });
      if (components.length === 0) c.addIssue({ code: 'custom', path: ['components'], message: 'Choose at least one component' });
      return { ...v, components };
    });
}
export type MaintenanceInput = z.infer<ReturnType<typeof maintenanceSchema>>;

export const maintenanceUpdateSchema = z.object({
  status: z.enum(maintenanceStatuses, { error: 'Choose a status' }),
  message: z.string({ error: 'Message is required' }).trim().min(1, { error: 'Message must not be empty' }).max(fieldLimits.message, { error: tooLongMessage('Message', fieldLimits.message) }),
});

export async function scheduleMaintenance(db: Db, model: StatusModel, input: MaintenanceInput, actor: string, now: number): Promise<string> {
  const base = `${dayKey(input.scheduled_start, model.site.timezone)}-${slugify(input.title)}`;
  const taken = new Set((await db.selectFrom('maintenance').select('id').where('id', 'like', `${base}%`).execute()).map((r) => r.id));
  let id = base;
  for (let n = 2; taken.has(id) || model.maintenanceById.has(id); n++) id = `${base}-${n}`;
  const stamp = new Date(now).toISOString();
  await writePublicData(db, async (trx) => {
    await trx.insertInto('maintenance').values({
      id, title: input.title, components: JSON.stringify(input.components), scheduled_start: new Date(input.scheduled_start).toISOString(),
      scheduled_end: new Date(input.scheduled_end).toISOString(), body: input.body, created_at: stamp, updated_at: stamp,
    }).execute();
    if (input.message.trim() !== '') {
      await trx.insertInto('maintenance_update').values({ id: newId(), maintenance_id: id, at: stamp, status: 'scheduled', message: input.message.trim(), created_at: stamp }).execute();
    }
    await recordAudit(trx, { actor, action: 'maintenance_scheduled', target: id, detail: input.title }, now);
    await enqueueMaintenanceScheduled(trx, model, { id, title: input.title, components: input.components, scheduledStart: input.scheduled_start, scheduledEnd: input.scheduled_end, body: input.body, message: input.message }, now);
  });
  return id;
}

export async function postMaintenanceUpdate(db: Db, model: StatusModel, id: string, input: z.infer<typeof maintenanceUpdateSchema>, actor: string, now: number): Promise<void> {
  const m = model.maintenanceById.get(id);
  if (!m) throw new NotFoundError('maintenance', id);
  if (m.source === 'file') throw new RefusedError(`This maintenance comes from content/maintenance/${id}.md; change it in git.`);
  const stamp = new Date(now).toISOString();
  await writePublicData(db, async (trx) => {
    await trx.insertInto('maintenance_update').values({ id: newId(), maintenance_id: id, at: stamp, status: input.status, message: input.message, created_at: stamp }).execute();
    await trx.updateTable('maintenance').set({ updated_at: stamp }).where('id', '=', id).execute();
    await recordAudit(trx, { actor, action: 'maintenance_updated', target: id, detail: `${input.status}: ${input.message.slice(0, 200)}` }, now);
    await enqueueMaintenanceUpdate(trx, model, m, { at: now, status: input.status, message: input.message }, now);
  });
}

export async function cancelMaintenance(db: Db, model: StatusModel, id: string, actor: string, now: number): Promise<void> {
  const m = model.maintenanceById.get(id);
  if (!m) throw new NotFoundError('maintenance', id);
  if (m.source === 'file') throw new RefusedError(`This maintenance comes from content/maintenance/${id}.md; change it in git.`);
  await writePublicData(db, async (trx) => {
    await trx.deleteFrom('maintenance_update').where('maintenance_id', '=', id).execute();
    await trx.deleteFrom('maintenance').where('id', '=', id).execute();
    await recordAudit(trx, { actor, action: 'maintenance_deleted', target: id, detail: m.title }, now);
  });
}
