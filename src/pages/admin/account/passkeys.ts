// Adding a passkey to your own account (the account page's script): `action=options` gives the options for
// navigator.credentials.create, `action=register` checks the answer and stores it. Every signed-in role.
import type { APIRoute } from 'astro';
import { passkeyJson, requestParty } from '../../../lib/server/auth/passkey-http.ts';
import { registerPasskey, registrationOptions } from '../../../lib/server/auth/passkey-registration.ts';
import { readForm } from '../../../lib/server/http/read-form.ts';
import { database } from '../../../lib/server/status-data/runtime.ts';

export const POST: APIRoute = async ({ request, locals, url }) => {
  const user = locals.user!;
  const form = await readForm(request);
  const db = await database();
  const rp = await requestParty(url);
  const now = Date.now();
  if (form.get('action') === 'options') return passkeyJson(200, await registrationOptions(db, user, rp, now));
  const result = await registerPasskey(db, user, rp, String(form.get('response') ?? ''), String(form.get('name') ?? ''), now);
  return result.ok ? passkeyJson(200, result) : passkeyJson(400, result);
};
