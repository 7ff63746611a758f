// The refusal of a request the signed-in role may not make: it names the role needed.
import { roleLabels, type Role } from '../../status/roles.ts';

/** What the refusal says: the role needed, or that no role may (a route without a rule). */
export function forbiddenMessage(needed: Role | null, role: Role | null): string {
  const yours = role ? ` Your role is ${roleLabels[role].toLowerCase()}.` : '';
  return needed
    ? `This needs the ${roleLabels[needed].toLowerCase()} role (or a higher one).${yours} Ask an admin to change your role.`
    : `No role may do this: the request matches no rule in the admin's permission table.${yours}`;
}

/** The 403 for an endpoint (CSV, email preview, sign-out): JSON. */
export function forbiddenJson(needed: Role | null, role: Role | null): Response {
  return new Response(JSON.stringify({ error: 'forbidden', requiredRole: needed, role, message: forbiddenMessage(needed, role) }), {
    status: 403,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-store' },
  });
}
