// Writing post-mortems in admin: drafts, publishing, unpublishing; one transaction each, audited.
import { z } from 'astro/zod';
import { fieldLimits, hasLineBreak, multiLineMessage, tooLongMessage } from '../../status/field-limits.ts';
import { resolvedAt } from '../../status/incident.ts';
import { postmortemLeftovers, type FieldPlaceholder } from '../../status/postmortem-placeholders.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { enqueuePostmortem } from '../email/notifications.ts';
import { NotFoundError, RefusedError } from '../errors.ts';
import { writePublicData } from '../status-data/public-write.ts';
import type { StatusModel } from '../status-data/status-model.ts';

export const postmortemFormSchema = z.object({
  title: z.string({ error: 'Title is required' }).trim().min(1, { error: 'Title is required' }).max(fieldLimits.title, { error: tooLongMessage('Title', fieldLimits.title) }).refine((v) => !hasLineBreak(v), { error: multiLineMessage('Title') }),
  body: z.string({ error: 'The post-mortem is empty' }).trim().min(1, { error: 'The post-mortem is empty' }).max(fieldLimits.postmortemBody, { error: tooLongMessage('Post-mortem', fieldLimits.postmortemBody) }),
  /** publish asks for confirmation (who will be emailed); confirm publishes and emails. */
  action: z.enum(['save', 'preview', 'publish', 'confirm', 'unpublish'], { error: 'Unknown action' }).default('save'),
  /** The text the confirmation was shown for (see formDigest): a different text is confirmed again. */
  confirmed: z.string().optional(),
});
export type PostmortemForm = z.infer<typeof postmortemFormSchema>;

/** What savePostmortem writes: the text and whether it is kept as it is, published or withdrawn. */
export interface PostmortemSave {
  title: string;
  body: string;
  action: 'save' | 'publish' | 'unpublish';
}

/** Publishing refused: the runbook template's placeholders remain; each is named with its line. */
export class PlaceholdersLeftError extends RefusedError {
  readonly placeholders: FieldPlaceholder[];
  constructor(placeholders: FieldPlaceholder[]) {
    super(`${placeholders.length} placeholder${placeholders.length === 1 ? '' : 's'} from the runbook template must be replaced before publishing.`, 'body');
    this.placeholders = placeholders;
  }
}

/** Throws PlaceholdersLeftError when the title or body still holds a template placeholder. */
export function assertPublishable(form: Pick<PostmortemForm, 'title' | 'body'>): void {
  const left = postmortemLeftovers(form);
  if (left.length > 0) throw new PlaceholdersLeftError(left);
}

/** The incident a post-mortem may be written for: known, resolved, not already covered by a file. */
export function postmortemTarget(model: StatusModel, incidentId: string): { fileOwned: boolean } {
  const incident = model.incidentById.get(incidentId);
  if (!incident) throw new NotFoundError('incident', incidentId);
  if (resolvedAt(incident) === null) throw new RefusedError('Post-mortems are written once the incident is resolved.');
  const existing = model.postmortems.find((p) => p.incidentId === incidentId);
  return { fileOwned: existing?.source === 'file' };
}

/**
 * Saves (and optionally publishes or withdraws) the admin post-mortem of an incident; its id is the incident's.
 * `publish` publishes and emails at once (the page asks for confirmation first). Whatever is or becomes public
 * must hold no template placeholder: a draft may.
 */
export async function savePostmortem(db: Db, model: StatusModel, incidentId: string, form: PostmortemSave, actor: string, now: number): Promise<void> {
  if (postmortemTarget(model, incidentId).fileOwned) throw new RefusedError(`This incident's post-mortem is a file in content/postmortems/; change it in git.`);
  if (model.postmortemById.get(incidentId)?.source === 'file') throw new RefusedError(`A file post-mortem already uses the id ${incidentId}.`);
  const stamp = new Date(now).toISOString();
  await writePublicData(db, async (trx) => {
    const existing = await trx.selectFrom('postmortem').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    const published_at = form.action === 'publish' ? (existing?.published_at ?? stamp) : form.action === 'unpublish' ? null : (existing?.published_at ?? null);
    if (published_at !== null) assertPublishable(form);
    if (existing) {
      await trx.updateTable('postmortem').set({ title: form.title, body: form.body, published_at, updated_at: stamp }).where('id', '=', existing.id).execute();
    } else {
      await trx.insertInto('postmortem').values({ id: incidentId, incident_id: incidentId, title: form.title, body: form.body, published_at, created_at: stamp, updated_at: stamp }).execute();
    }
    const action = form.action === 'publish' ? 'postmortem_published' : form.action === 'unpublish' ? 'postmortem_unpublished' : 'postmortem_saved';
    await recordAudit(trx, { actor, action, target: incidentId, detail: form.title }, now);
    if (form.action === 'publish' && !existing?.published_at) await enqueuePostmortem(trx, model, { id: incidentId, incidentId, title: form.title, body: form.body }, now);
  });
}
