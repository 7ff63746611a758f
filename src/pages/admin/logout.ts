// Sign out: this session, or every session of the user ("everywhere"). During a database outage the session is
// forgotten here and its cookie removed; the stored row expires or is removed once the database answers.
import type { APIRoute } from 'astro';
import { recordAudit } from '../../lib/server/audit/audit-log.ts';
import { isSecureRequest } from '../../lib/server/auth/request.ts';
import { deleteSessionCookie, invalidateSession, invalidateUserSessions } from '../../lib/server/auth/session.ts';
import { unlessUnavailable } from '../../lib/server/db/db-errors.ts';
import { database } from '../../lib/server/status-data/runtime.ts';
import { readForm } from '../../lib/server/http/read-form.ts';

export const POST: APIRoute = async ({ locals, request, cookies, url, redirect }) => {
  const form = await readForm(request);
  const everywhere = form.get('everywhere') === '1';
  const { session, user } = locals;
  if (session && user) {
    await unlessUnavailable(async () => {
      const db = await database();
      if (everywhere) await invalidateUserSessions(db, user.id);
      else await invalidateSession(db, session.id);
      await recordAudit(db, { actor: user.email, action: everywhere ? 'sign_out_everywhere' : 'sign_out' }, Date.now());
    }, undefined);
  }
  deleteSessionCookie(cookies, isSecureRequest(url));
  return redirect('/admin/login', 303);
};
