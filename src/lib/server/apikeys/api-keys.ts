// Keys for the manage API: shown once, stored as SHA-256 (like session tokens), named, scoped, revocable.
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { NotFoundError, RefusedError } from '../errors.ts';
import { hashToken, newId, randomToken } from '../ids.ts';

export const apiKeyScopes = ['read', 'incidents', 'components'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** Every key starts with this, so a leaked one is easy to recognise (and to grep for). */
export const API_KEY_PREFIX = 'kz_';

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

type Row = { id: string; name: string; scopes: string; created_by: string; created_at: string; last_used_at: string | null; revoked_at: string | null };
const toKey = (r: Row): ApiKey => ({
  id: r.id, name: r.name, scopes: r.scopes.split(',').filter((s): s is ApiKeyScope => (apiKeyScopes as readonly string[]).includes(s)),
  createdBy: r.created_by, createdAt: Date.parse(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : Date.parse(r.last_used_at), revokedAt: r.revoked_at === null ? null : Date.parse(r.revoked_at),
});

/** "incidents,components" → the scopes, or a RefusedError naming the unknown one. Writing implies reading. */
export function parseScopes(text: string): ApiKeyScope[] {
  const words = text.split(/[\s,]+/).filter((w) => w !== '');
  if (words.length === 0) throw new RefusedError(`Give at least one scope (${apiKeyScopes.join(', ')})`, 'scopes');
  for (const w of words) if (!(apiKeyScopes as readonly string[]).includes(w)) throw new RefusedError(`Unknown scope '${w}': use ${apiKeyScopes.join(', ')}`, 'scopes');
  return apiKeyScopes.filter((s) => words.includes(s));
}

/** A key name: 1–60 letters, digits, dots, dashes or underscores. */
export function checkKeyName(name: string): string {
  const n = name.trim();
  if (!/^[A-Za-z0-9._-]{1,60}$/.test(n)) throw new RefusedError('Name must be 1–60 letters, digits, dots, dashes or underscores', 'name');
  return n;
}

/** Creates a key and returns it with its secret, which is never stored and cannot be shown again. */
export async function createApiKey(db: Db, name: string, scopes: ApiKeyScope[], actor: string, now: number): Promise<{ key: ApiKey; secret: string }> {
  const n = checkKeyName(name);
  if (await db.selectFrom('api_key').select('id').where('name', '=', n).executeTakeFirst()) throw new RefusedError(`A key named '${n}' already exists`, 'name');
  const secret = `${API_KEY_PREFIX}${randomToken(25)}`;
  const row: Row & { token_hash: string } = {
    id: newId(), name: n, token_hash: hashToken(secret), scopes: scopes.join(','), created_by: actor,
    created_at: new Date(now).toISOString(), last_used_at: null, revoked_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('api_key').values(row).execute();
    await recordAudit(trx, { actor, action: 'api_key_created', target: n, detail: `scopes: ${row.scopes}` }, now);
  });
  return { key: toKey(row), secret };
}

/** Every key, revoked ones included, newest first. */
export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_key').select(['id', 'name', 'scopes', 'created_by', 'created_at', 'last_used_at', 'revoked_at']).orderBy('created_at', 'desc').execute();
  return rows.map(toKey);
}

/** Revokes a key by name; it stops working at once. */
export async function revokeApiKey(db: Db, name: string, actor: string, now: number): Promise<void> {
  const row = await db.selectFrom('api_key').select(['id', 'revoked_at']).where('name', '=', name).executeTakeFirst();
  if (!row) throw new NotFoundError('API key', name);
  if (row.revoked_at !== null) throw new RefusedError(`The key '${name}' is already revoked`, 'name');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('api_key').set({ revoked_at: new Date(now).toISOString() }).where('id', '=', row.id).execute();
    await recordAudit(trx, { actor, action: 'api_key_revoked', target: name }, now);
  });
}

/** `OAuth <key>` (what Statuspage documents) or `Bearer <key>`; null when the header is absent or another scheme. */
export function keyFromAuthorization(header: string | null): string | null {
  const m = /^(?:OAuth|Bearer)\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/** The live key with this secret (and marks it used), or null: unknown and revoked keys alike. */
export async function authenticateApiKey(db: Db, secret: string, now: number): Promise<ApiKey | null> {
  const row = await db.selectFrom('api_key').select(['id', 'name', 'scopes', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
    .where('token_hash', '=', hashToken(secret)).executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  const at = new Date(now).toISOString();
  await db.updateTable('api_key').set({ last_used_at: at }).where('id', '=', row.id).execute();
  return toKey({ ...row, last_used_at: at });
}

/** The actor name audit entries carry for a key. */
export function apiKeyActor(key: Pick<ApiKey, 'name'>): string {
  return `api-key:${key.name}`;
}
