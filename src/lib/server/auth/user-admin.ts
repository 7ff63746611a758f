// User management from the admin pages: invite (one-time link), remove, new password link.
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { RefusedError } from '../errors.ts';
import { invalidateUserSessions } from './session.ts';
import { issueResetLink } from './setup-link.ts';
import { countUsers, deleteUser, emailLengthProblem, findUserByEmail, insertUser, normalizeEmail } from './users.ts';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Adds an account without a password and returns its one-time link. */
export async function inviteUser(db: Db, emailInput: string, baseUrl: string, actor: string, now: number): Promise<string> {
  const email = normalizeEmail(emailInput);
  const tooLong = emailLengthProblem(email);
  if (tooLong) throw new RefusedError(tooLong, 'email');
  if (!emailPattern.test(email)) throw new RefusedError('Enter an email address, like oncall@example.com.', 'email');
  if (await findUserByEmail(db, email)) throw new RefusedError(`${email} already has an account.`, 'email');
  await insertUser(db, email, null, now);
  await recordAudit(db, { actor, action: 'user_created', target: email }, now);
  return issueResetLink(db, email, baseUrl, now);
}

export async function removeUser(db: Db, emailInput: string, actor: string, now: number): Promise<void> {
  const user = await findUserByEmail(db, emailInput);
  if (!user) throw new RefusedError('No such account.', 'email');
  if ((await countUsers(db)) <= 1) throw new RefusedError('The last account cannot be removed.', 'email');
  await deleteUser(db, user.id);
  await recordAudit(db, { actor, action: 'user_removed', target: user.email }, now);
}

/** Signs the user out everywhere and returns a one-time link to choose a new password. */
export async function passwordLink(db: Db, emailInput: string, baseUrl: string, actor: string, now: number): Promise<string> {
  const user = await findUserByEmail(db, emailInput);
  if (!user) throw new RefusedError('No such account.', 'email');
  await invalidateUserSessions(db, user.id);
  await recordAudit(db, { actor, action: 'password_reset_link', target: user.email }, now);
  return issueResetLink(db, user.email, baseUrl, now);
}
