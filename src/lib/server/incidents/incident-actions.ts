// The admin incident page's form actions: parse the posted fields, run the service, say where to go next.
import { parseLocalDateTime } from '../../status/time.ts';
import type { Incident } from '../../status/types.ts';
import type { AdminContext } from '../admin/page-context.ts';
import { parseForm, saveErrors, type FieldErrors } from '../admin/form.ts';
import { safeNext } from '../auth/request.ts';
import type { Db } from '../db/connection.ts';
import { correctionSchema, editUpdateSchema, updateSchema } from './incident.schemas.ts';
import { correctIncident, deleteIncident, editUpdate, markRepeat, postUpdate, recordEscalation } from './incident.service.ts';
import { postedQuery } from './posted-notice.ts';

export type ActionResult = { ok: true; redirect: string } | { ok: false; errors: FieldErrors };

/** Runs one posted action (update, reopen, correct, edit, delete, repeat, escalate) on an incident. */
export async function runIncidentAction(db: Db, ctx: AdminContext, incident: Incident, values: Record<string, string>, actor: string): Promise<ActionResult> {
  const id = incident.id;
  const page = `/admin/incidents/${encodeURIComponent(id)}`;
  const back = `${page}?saved=1`;
  const failed = (errors: FieldErrors): ActionResult => ({ ok: false, errors });
  try {
    switch (values.action) {
      case 'update':
      case 'reopen': {
        const parsed = parseForm(updateSchema(ctx.form, values, incident.severity), values);
        if (!parsed.ok) return failed(parsed.errors);
        const outcome = await postUpdate(db, ctx.model, id, parsed.data, actor, ctx.now, { reopen: values.action === 'reopen' });
        return { ok: true, redirect: `${page}?${postedQuery(outcome, parsed.data.notifyChoice)}` };
      }
      case 'correct': {
        const parsed = parseForm(correctionSchema(ctx.form, values), values);
        if (!parsed.ok) return failed(parsed.errors);
        const changed = await correctIncident(db, ctx.model, id, parsed.data, actor, ctx.now);
        return { ok: true, redirect: `${page}?corrected=${changed.length}` };
      }
      case 'edit': {
        const parsed = parseForm(editUpdateSchema(ctx.form), values);
        if (!parsed.ok) return failed(parsed.errors);
        await editUpdate(db, ctx.model, id, parsed.data, actor, ctx.now);
        return { ok: true, redirect: back };
      }
      case 'delete':
        if (values.confirm !== id) return failed({ confirm: `Type the incident id (${id}) to confirm.` });
        await deleteIncident(db, ctx.model, id, actor, ctx.now);
        return { ok: true, redirect: '/admin/incidents?deleted=1' };
      case 'repeat':
        await markRepeat(db, ctx.model, id, values.repeat_of ?? '', actor, ctx.now);
        return { ok: true, redirect: values.return_to ? safeNext(values.return_to) : back };
      case 'escalate': {
        const at = values.at ? parseLocalDateTime(values.at, ctx.form.timeZone) : ctx.now;
        if (at === null) return failed({ at: 'Time must be a date and time' });
        await recordEscalation(db, ctx.model, id, values.role ?? '', values.who ?? '', at, actor, ctx.now);
        return { ok: true, redirect: back };
      }
      default:
        return failed({ form: 'Unknown action.' });
    }
  } catch (e) {
    return failed(saveErrors(e));
  }
}
