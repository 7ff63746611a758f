// Admin accounts: create, list, remove, set password.
import type { Db } from '../db/connection.ts';
import { newId } from '../ids.ts';
import { fieldLimits, tooLongMessage } from '../../status/field-limits.ts';
import { isRole, type Role } from '../../status/roles.ts';

export interface User {
  id: string;
  email: string;
  hasPassword: boolean;
  createdAt: number;
  /** Gets the runbook's reminders by email. */
  reminders: boolean;
  role: Role;
  /** Has signed in through single sign-on (decision record 019). */
  sso: boolean;
}

/** A stored role; anything unknown reads as the least one (never more than was granted). */
export function storedRole(value: string): Role {
  return isRole(value) ? value : 'viewer';
}

/** Emails are compared case-insensitively and stored lower-case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An account's address longer than any real one is refused before anything is looked up or stored. */
export function emailLengthProblem(email: string): string | null {
  return email.length > fieldLimits.email ? tooLongMessage('Email', fieldLimits.email) : null;
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('app_user').selectAll().orderBy('email').execute();
  return rows.map((r) => ({ id: r.id, email: r.email, hasPassword: r.password_hash !== null, createdAt: Date.parse(r.created_at), reminders: r.reminders === 1, role: storedRole(r.role), sso: r.sso_subject !== null }));
}

/** Addresses of active admins (a password set, or signed in through single sign-on) who have not turned reminders off. */
export async function reminderAddresses(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('app_user').select('email').where('reminders', '=', 1)
    .where((eb) => eb.or([eb('password_hash', 'is not', null), eb('sso_subject', 'is not', null)])).orderBy('email').execute();
  return rows.map((r) => r.email);
}

/** Turns one admin's reminders on or off. */
export async function setReminders(db: Db, userId: string, on: boolean): Promise<void> {
  await db.updateTable('app_user').set({ reminders: on ? 1 : 0 }).where('id', '=', userId).execute();
}

export async function findUserByEmail(db: Db, email: string): Promise<{ id: string; email: string; passwordHash: string | null; role: Role } | null> {
  const r = await db.selectFrom('app_user').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return r ? { id: r.id, email: r.email, passwordHash: r.password_hash, role: storedRole(r.role) } : null;
}

/** Adds an account; the setup page and `npm run user -- add` make admins, an invitation names its role. */
export async function insertUser(db: Db, email: string, passwordHash: string | null, now: number, role: Role = 'admin'): Promise<string> {
  const id = newId();
  await db.insertInto('app_user').values({ id, email: normalizeEmail(email), password_hash: passwordHash, created_at: new Date(now).toISOString(), role }).execute();
  return id;
}

/** How many admins there are (the last one cannot be removed or demoted). */
export async function countAdmins(db: Db): Promise<number> {
  const r = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<string | number>().as('n')).where('role', '=', 'admin').executeTakeFirstOrThrow();
  return Number(r.n);
}

/** An account without a password that has signed in through single sign-on: its provider does the second factor. */
export async function signsInOnlyThroughSso(db: Db, userId: string): Promise<boolean> {
  const r = await db.selectFrom('app_user').select('id').where('id', '=', userId).where('password_hash', 'is', null).where('sso_subject', 'is not', null).executeTakeFirst();
  return r !== undefined;
}

export async function setRole(db: Db, userId: string, role: Role): Promise<void> {
  await db.updateTable('app_user').set({ role }).where('id', '=', userId).execute();
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/** Removes the account (its sessions go with it) and the addresses it signed in from. */
export async function deleteUser(db: Db, userId: string): Promise<void> {
  const user = await db.selectFrom('app_user').select('email').where('id', '=', userId).executeTakeFirst();
  if (user) await db.deleteFrom('sign_in_known_address').where('email', '=', user.email).execute();
  await db.deleteFrom('app_user').where('id', '=', userId).execute();
}
