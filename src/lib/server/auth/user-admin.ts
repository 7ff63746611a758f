// User management from the admin pages: invite with a role (a one-time link by email), change a role, remove,
// new password link. The last admin can be neither removed nor demoted, checked inside the change's transaction.
import { recordAudit } from '../audit/audit-log.ts';
import { onPostgres, type Db } from '../db/connection.ts';
import { inviteEmailData } from '../email/invite-email.ts';
import { enqueueOnce } from '../email/outbox.ts';
import type { SiteForEmail } from '../email/compose.ts';
import { RefusedError } from '../errors.ts';
import { newId } from '../ids.ts';
import { isRole, roleLabels, type Role } from '../../status/roles.ts';
import { INVITE_LIFETIME_MS } from './one-time-link.ts';
import { forgetRememberedUser, invalidateUserSessions } from './session.ts';
import { issueResetLink } from './setup-link.ts';
import { deleteUser, emailLengthProblem, findUserByEmail, insertUser, normalizeEmail, setRole, storedRole } from './users.ts';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseRole(input: string): Role {
  if (!isRole(input)) throw new RefusedError('Choose a role: viewer, responder or admin.', 'role');
  return input;
}

/**
 * Adds an account with `role` and no password, emails it a one-time link (72 hours, single use) through the
 * outbox, and returns the link too (to hand over another way when email is not set up).
 */
export async function inviteUser(db: Db, emailInput: string, roleInput: string, ctx: SiteForEmail, actor: string, now: number): Promise<string> {
  const email = normalizeEmail(emailInput);
  const tooLong = emailLengthProblem(email);
  if (tooLong) throw new RefusedError(tooLong, 'email');
  if (!emailPattern.test(email)) throw new RefusedError('Enter an email address, like oncall@example.com.', 'email');
  const role = parseRole(roleInput);
  if (await findUserByEmail(db, email)) throw new RefusedError(`${email} already has an account.`, 'email');
  await insertUser(db, email, null, now, role);
  const url = await issueResetLink(db, email, ctx.baseUrl, now, INVITE_LIFETIME_MS);
  await enqueueOnce(db, `invite:${email}:${newId()}`, inviteEmailData(ctx, role, actor, url, INVITE_LIFETIME_MS / 3_600_000), [email], now);
  await recordAudit(db, { actor, action: 'user_invited', target: email, detail: `role ${role}` }, now);
  return url;
}

/** Runs `change` on the user in a transaction that first locks the admins' rows, so two changes cannot both pass the check. */
async function withAdminsLocked<T>(db: Db, email: string, change: (trx: Db, user: { id: string; email: string; role: Role }, admins: number) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('app_user').select('id').where('role', '=', 'admin');
    // SQLite runs one write transaction at a time; PostgreSQL needs the rows locked (a concurrent demotion waits here).
    if (onPostgres(trx)) q = q.forUpdate();
    const admins = (await q.execute()).length;
    const row = await trx.selectFrom('app_user').select(['id', 'email', 'role']).where('email', '=', normalizeEmail(email)).executeTakeFirst();
    if (!row) throw new RefusedError('No such account.', 'email');
    return change(trx, { id: row.id, email: row.email, role: storedRole(row.role) }, admins);
  });
}

const lastAdmin = (what: string): RefusedError =>
  new RefusedError(`The last admin cannot be ${what}: someone must be able to manage users and settings. Make another account admin first.`, 'email');

/** Gives an account another role; refused for the last admin. Takes effect on the user's next request. */
export async function changeRole(db: Db, emailInput: string, roleInput: string, actor: string, now: number): Promise<{ from: Role; to: Role }> {
  const to = parseRole(roleInput);
  const r = await withAdminsLocked(db, emailInput, async (trx, user, admins) => {
    if (user.role === 'admin' && to !== 'admin' && admins <= 1) throw lastAdmin('demoted');
    if (user.role !== to) await setRole(trx, user.id, to);
    return { id: user.id, email: user.email, from: user.role };
  });
  if (r.from !== to) {
    forgetRememberedUser(r.id);
    await recordAudit(db, { actor, action: 'user_role_changed', target: r.email, detail: `${roleLabels[r.from]} → ${roleLabels[to]}` }, now);
  }
  return { from: r.from, to };
}

/** Removes the account and ends its sessions at once; refused for the last admin. */
export async function removeUser(db: Db, emailInput: string, actor: string, now: number): Promise<void> {
  const removed = await withAdminsLocked(db, emailInput, async (trx, user, admins) => {
    if (user.role === 'admin' && admins <= 1) throw lastAdmin('removed');
    await invalidateUserSessions(trx, user.id);
    await deleteUser(trx, user.id);
    return user;
  });
  forgetRememberedUser(removed.id);
  await recordAudit(db, { actor, action: 'user_removed', target: removed.email, detail: `was ${removed.role}` }, now);
}

/** Signs the user out everywhere and returns a one-time link to choose a new password. */
export async function passwordLink(db: Db, emailInput: string, baseUrl: string, actor: string, now: number): Promise<string> {
  const user = await findUserByEmail(db, emailInput);
  if (!user) throw new RefusedError('No such account.', 'email');
  await invalidateUserSessions(db, user.id);
  await recordAudit(db, { actor, action: 'password_reset_link', target: user.email }, now);
  return issueResetLink(db, user.email, baseUrl, now);
}
