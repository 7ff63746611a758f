// Idempotency-Key on manage API writes: the first response is kept 24 h per (API key, Idempotency-Key) and replayed.
import type { Db } from '../db/connection.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export interface StoredResponse {
  method: string;
  path: string;
  status: number;
  body: string;
}

/** The response stored for this key within the last 24 h, or null (older ones are purged on the way). */
export async function findStoredResponse(db: Db, apiKeyId: string, idempotencyKey: string, now: number): Promise<StoredResponse | null> {
  await db.deleteFrom('api_idempotency').where('created_at', '<', new Date(now - IDEMPOTENCY_TTL_MS).toISOString()).execute();
  const row = await db.selectFrom('api_idempotency').select(['method', 'path', 'status', 'body'])
    .where('api_key_id', '=', apiKeyId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
  return row ? { method: row.method, path: row.path, status: Number(row.status), body: row.body } : null;
}

/** Keeps a response for replay; a concurrent first use of the same key keeps the one stored first. */
export async function storeResponse(db: Db, apiKeyId: string, idempotencyKey: string, response: StoredResponse, now: number): Promise<void> {
  await db.insertInto('api_idempotency')
    .values({ api_key_id: apiKeyId, idempotency_key: idempotencyKey, ...response, created_at: new Date(now).toISOString() })
    .onConflict((oc) => oc.columns(['api_key_id', 'idempotency_key']).doNothing())
    .execute();
}
