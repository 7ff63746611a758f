// A user's passkeys in the database: listing, adding, finding one by its credential id, the counter after a use,
// removing. The public key and credential id are stored base64url; nothing here is secret (decision record 018).
import type { Db } from '../db/connection.ts';
import { newId } from '../ids.ts';

export interface Passkey {
  id: string;
  credentialId: string;
  userId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** The longest name kept for a passkey; the account page's field says so too. */
export const PASSKEY_NAME_MAX = 60;

type Row = { id: string; credential_id: string; user_id: string; public_key: string; counter: number | string; transports: string; name: string; created_at: string; last_used_at: string | null };

function rowToPasskey(r: Row): Passkey {
  return {
    id: r.id,
    credentialId: r.credential_id,
    userId: r.user_id,
    publicKey: r.public_key,
    counter: Number(r.counter),
    transports: r.transports ? r.transports.split(',') : [],
    name: r.name,
    createdAt: Date.parse(r.created_at),
    lastUsedAt: r.last_used_at ? Date.parse(r.last_used_at) : null,
  };
}

/** Whether the user has at least one passkey. */
export async function hasPasskey(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('passkey').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The user's passkeys, oldest first. */
export async function listPasskeys(db: Db, userId: string): Promise<Passkey[]> {
  const rows = await db.selectFrom('passkey').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map(rowToPasskey);
}

/** The passkey with this credential id, whoever it belongs to; null when none. */
export async function findPasskeyByCredentialId(db: Db, credentialId: string): Promise<Passkey | null> {
  const row = await db.selectFrom('passkey').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
  return row ? rowToPasskey(row) : null;
}

/** The passkey with this credential id and its owner's email (for a sign-in that starts from the passkey); null when none. */
export async function findPasskeyWithOwner(db: Db, credentialId: string): Promise<(Passkey & { email: string }) | null> {
  const row = await db
    .selectFrom('passkey')
    .innerJoin('app_user', 'app_user.id', 'passkey.user_id')
    .selectAll('passkey')
    .select('app_user.email')
    .where('passkey.credential_id', '=', credentialId)
    .executeTakeFirst();
  return row ? { ...rowToPasskey(row), email: row.email } : null;
}

/** Stores a verified new credential; false when that credential id is registered already. */
export async function insertPasskey(
  db: Db,
  p: { credentialId: string; userId: string; publicKey: string; counter: number; transports: string[]; name: string },
  now: number,
): Promise<string | null> {
  if (await findPasskeyByCredentialId(db, p.credentialId)) return null;
  const id = newId();
  await db
    .insertInto('passkey')
    .values({ id, credential_id: p.credentialId, user_id: p.userId, public_key: p.publicKey, counter: p.counter, transports: p.transports.join(','), name: p.name, created_at: new Date(now).toISOString(), last_used_at: null })
    .execute();
  return id;
}

/**
 * Records a use: the new counter and the time, only if the counter is still the one the check read, so of two
 * answers racing with one signature only one is accepted.
 */
export async function recordPasskeyUse(db: Db, passkey: Passkey, newCounter: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('passkey')
    .set({ counter: newCounter, last_used_at: new Date(now).toISOString() })
    .where('id', '=', passkey.id)
    .where('counter', '=', passkey.counter)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Removes one of the user's passkeys; its name when it was theirs, null otherwise. */
export async function removePasskey(db: Db, userId: string, id: string): Promise<string | null> {
  const row = await db.selectFrom('passkey').select('name').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!row) return null;
  const r = await db.deleteFrom('passkey').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1 ? row.name : null;
}
