// Sign out: this session, or every session of the user ("everywhere").
import type { APIRoute } from 'astro';
import { recordAudit } from '../../lib/server/audit/audit-log.ts';
import { isSecureRequest } from '../../lib/server/auth/request.ts';
import { deleteSessionCookie, invalidateSession, invalidateUserSessions } from '../../lib/server/auth/session.ts';
import { database } from '../../lib/server/status-data/runtime.ts';

export const POST: APIRoute = async ({ locals, request, cookies, url, redirect }) => {
  const db = await database();
  const form = await request.formData();
  const everywhere = form.get('everywhere') === '1';
  if (locals.session && locals.user) {
    if (everywhere) await invalidateUserSessions(db, locals.user.id);
    else await invalidateSession(db, locals.session.id);
    await recordAudit(db, { actor: locals.user.email, action: everywhere ? 'sign_out_everywhere' : 'sign_out' }, Date.now());
  }
  deleteSessionCookie(cookies, isSecureRequest(url));
  return redirect('/admin/login', 303);
};
