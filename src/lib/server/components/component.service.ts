// Setting a component's status by hand, without an incident (and back to its baseline).
import { componentStatuses, type ComponentStatus } from '../../status/vocabulary.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { NotFoundError, RefusedError } from '../errors.ts';
import { writePublicData } from '../status-data/public-write.ts';
import type { StatusModel } from '../status-data/status-model.ts';

/** status null resets the component to the baseline from components.yaml. */
export async function setComponentStatus(db: Db, model: StatusModel, componentId: string, status: string | null, actor: string, now: number): Promise<void> {
  if (!model.componentById.has(componentId)) throw new NotFoundError('component', componentId);
  if (status !== null && !(componentStatuses as readonly string[]).includes(status)) throw new RefusedError(`Unknown status '${status}'`, 'status');
  await writePublicData(db, async (trx) => {
    await trx.deleteFrom('component_override').where('component_id', '=', componentId).execute();
    if (status !== null) {
      await trx.insertInto('component_override').values({ component_id: componentId, status: status as ComponentStatus, set_at: new Date(now).toISOString() }).execute();
    }
    await recordAudit(trx, { actor, action: status === null ? 'component_reset' : 'component_status_set', target: componentId, detail: status ?? 'baseline' }, now);
  });
}

/** Marks a component team-only in admin, or takes the admin mark off (components.yaml's own `audience` still applies). */
export async function setComponentAudience(db: Db, model: StatusModel, componentId: string, teamOnly: boolean, actor: string, now: number): Promise<void> {
  if (!model.componentById.has(componentId)) throw new NotFoundError('component', componentId);
  await writePublicData(db, async (trx) => {
    await trx.deleteFrom('component_audience').where('component_id', '=', componentId).execute();
    if (teamOnly) await trx.insertInto('component_audience').values({ component_id: componentId, audience: 'internal', set_at: new Date(now).toISOString() }).execute();
    await recordAudit(trx, { actor, action: 'component_audience_set', target: componentId, detail: teamOnly ? 'internal' : 'public' }, now);
  });
}
