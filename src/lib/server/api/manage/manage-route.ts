// One entry for /api/v1/pages/{page_id}/…: API key, rate limit, scope, Idempotency-Key, dispatch, errors, audit.
import { apiKeyActor, authenticateApiKey, keyFromAuthorization, type ApiKey, type ApiKeyScope } from '../../apikeys/api-keys.ts';
import { findStoredResponse, storeResponse } from '../../apikeys/idempotency.ts';
import { takeKeyRequest } from '../../apikeys/key-rate-limit.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Db } from '../../db/connection.ts';
import { env } from '../../env.ts';
import { NotFoundError, RefusedError } from '../../errors.ts';
import { database } from '../../status-data/runtime.ts';
import { listComponents, updateManagedComponent } from './components.ts';
import { FieldError } from './incident-fields.ts';
import { createManagedIncident, deleteManagedIncident, getIncident, listIncidents, manageState, unresolvedIncidents, updateManagedIncident } from './incidents.ts';
import { ReadOnlyRecordError } from './read-only-error.ts';
import { BodyError, parseBody, type Body } from './request-body.ts';

interface Call {
  db: Db;
  key: ApiKey;
  actor: string;
  body: Body;
  query: URLSearchParams;
  now: number;
}
type Handler = (call: Call) => Promise<{ status: number; value: unknown }>;
interface Endpoint {
  scope: ApiKeyScope;
  write: boolean;
  run: Handler;
}

const ok = (value: unknown, status = 200): { status: number; value: unknown } => ({ status, value });

/** The endpoints by path (without page and `.json`), then method. */
function endpoints(segments: string[]): Record<string, Endpoint> | null {
  const [resource, id, extra] = segments;
  if (resource === 'incidents' && segments.length === 1) {
    return {
      GET: { scope: 'incidents', write: false, run: async (c) => ok(listIncidents(await manageState(c.now), c.query)) },
      POST: { scope: 'incidents', write: true, run: async (c) => ok(await createManagedIncident(c.db, c.body, c.actor, c.now), 201) },
    };
  }
  if (resource === 'incidents' && id === 'unresolved' && segments.length === 2) {
    return { GET: { scope: 'incidents', write: false, run: async (c) => ok(unresolvedIncidents(await manageState(c.now))) } };
  }
  if (resource === 'incidents' && id && extra === undefined) {
    const update: Endpoint = { scope: 'incidents', write: true, run: async (c) => ok(await updateManagedIncident(c.db, id, c.body, c.actor, c.now)) };
    return {
      GET: { scope: 'incidents', write: false, run: async (c) => ok(getIncident(await manageState(c.now), id)) },
      PATCH: update,
      PUT: update,
      DELETE: { scope: 'incidents', write: true, run: async (c) => ok(await deleteManagedIncident(c.db, id, c.actor, c.now)) },
    };
  }
  if (resource === 'components' && segments.length === 1) {
    return { GET: { scope: 'components', write: false, run: async (c) => ok(listComponents(await manageState(c.now))) } };
  }
  if (resource === 'components' && id && extra === undefined) {
    const update: Endpoint = { scope: 'components', write: true, run: async (c) => ok(await updateManagedComponent(c.db, id, c.body, c.actor, c.now)) };
    return { PATCH: update, PUT: update };
  }
  return null;
}

const json = (status: number, value: unknown, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra } });
const error = (status: number, message: string, extra: Record<string, string> = {}, fields: Record<string, string> = {}): Response =>
  json(status, { error: message, ...fields }, extra);

/** A read needs the read scope or the resource's own; a write needs the resource's scope. */
export function allowed(key: Pick<ApiKey, 'scopes'>, endpoint: Pick<Endpoint, 'scope' | 'write'>): boolean {
  return key.scopes.includes(endpoint.scope) || (!endpoint.write && key.scopes.includes('read'));
}

function failure(e: unknown): Response | null {
  if (e instanceof BodyError) return error(400, e.message);
  if (e instanceof FieldError) return error(422, e.message, {}, { field: e.field });
  if (e instanceof ReadOnlyRecordError) return error(409, e.message, {}, { record: e.record });
  if (e instanceof NotFoundError) return error(404, `No ${e.what} '${e.id}'`);
  if (e instanceof RefusedError) return error(422, e.message, {}, { field: e.field });
  return null;
}

/** Answers a manage API request; `rest` is the path after /api/v1/pages/{page_id}/. */
export async function handleManageRequest(request: Request, pageId: string, rest: string, url: URL): Promise<Response> {
  // Statuspage also takes ?api_key=…; accepted for compatibility (a header keeps the key out of logs).
  const secret = keyFromAuthorization(request.headers.get('authorization')) ?? (url.searchParams.get('api_key') || null);
  const unauthorized = { 'WWW-Authenticate': 'OAuth realm="manage API"' };
  if (secret === null) return error(401, 'Send an API key: Authorization: OAuth <key> (or Bearer <key>)', unauthorized);
  const db = await database();
  const now = Date.now();
  const key = await authenticateApiKey(db, secret, now);
  if (!key) return error(401, 'Unknown or revoked API key', unauthorized);
  const actor = apiKeyActor(key);
  const method = request.method.toUpperCase();
  const path = url.pathname;
  let response: Response;
  let replayed = false;
  const retryAfter = takeKeyRequest(key.id, env().API_RATE_LIMIT_PER_MINUTE, now);
  if (retryAfter !== null) {
    response = error(429, `Too many requests for this API key: at most ${env().API_RATE_LIMIT_PER_MINUTE} a minute`, { 'Retry-After': String(retryAfter) });
  } else {
    const result = await dispatch(request, db, key, actor, pageId, rest, url, now);
    response = result.response;
    replayed = result.replayed;
  }
  await recordAudit(db, { actor, action: 'api_request', target: `${method} ${path}`.slice(0, 300), detail: `${response.status}${replayed ? ' (idempotent replay)' : ''}` }, now);
  return response;
}

async function dispatch(request: Request, db: Db, key: ApiKey, actor: string, pageId: string, rest: string, url: URL, now: number): Promise<{ response: Response; replayed: boolean }> {
  const plain = (response: Response): { response: Response; replayed: boolean } => ({ response, replayed: false });
  const state = await manageState(now);
  if (pageId.replace(/\.json$/, '') !== state.ctx.pageId) return plain(error(404, `No page '${pageId}': this site's page id is ${state.ctx.pageId} (see /api/v2/summary.json)`));
  const segments = rest.replace(/\.json$/, '').split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const table = endpoints(segments);
  if (!table) return plain(error(404, `No manage API endpoint at ${url.pathname}; see docs/api.md`));
  const method = request.method.toUpperCase();
  const endpoint = table[method];
  if (!endpoint) return plain(error(405, `Method ${method} is not allowed here`, { Allow: Object.keys(table).join(', ') }));
  if (!allowed(key, endpoint)) return plain(error(403, `This API key lacks the '${endpoint.scope}' scope`, {}, { scope: endpoint.scope }));
  const idem = endpoint.write ? request.headers.get('idempotency-key')?.trim() || null : null;
  if (idem === null) return run(request, db, key, actor, endpoint, url, now, null);
  if (idem.length > 255) return plain(error(400, 'Idempotency-Key must be at most 255 characters'));
  // A retry that arrives while the first attempt still runs waits for it, then gets its stored answer.
  const slot = `${key.id}\u0000${idem}`;
  while (inFlight.has(slot)) await inFlight.get(slot);
  let release = (): void => {};
  inFlight.set(slot, new Promise<void>((r) => { release = r; }));
  try {
    const stored = await findStoredResponse(db, key.id, idem, now);
    if (stored) {
      if (stored.method !== method || stored.path !== url.pathname) return plain(error(422, 'This Idempotency-Key was already used for a different request', {}, { field: 'Idempotency-Key' }));
      return { response: json(stored.status, JSON.parse(stored.body), { 'Idempotent-Replayed': 'true' }), replayed: true };
    }
    return await run(request, db, key, actor, endpoint, url, now, idem);
  } finally {
    inFlight.delete(slot);
    release();
  }
}

/** Writes in progress by (API key, Idempotency-Key), in this process. */
const inFlight = new Map<string, Promise<void>>();

async function run(request: Request, db: Db, key: ApiKey, actor: string, endpoint: Endpoint, url: URL, now: number, idem: string | null): Promise<{ response: Response; replayed: boolean }> {
  const plain = (response: Response): { response: Response; replayed: boolean } => ({ response, replayed: false });
  const method = request.method.toUpperCase();
  let status: number;
  let value: unknown;
  try {
    const body = endpoint.write ? parseBody(request.headers.get('content-type'), await request.text()) : {};
    ({ status, value } = await endpoint.run({ db, key, actor, body, query: url.searchParams, now }));
  } catch (e) {
    const known = failure(e);
    if (!known) {
      console.error(`${url.pathname}:`, e);
      return plain(error(500, 'Internal error'));
    }
    if (idem !== null) await storeResponse(db, key.id, idem, { method, path: url.pathname, status: known.status, body: await known.clone().text() }, now);
    return plain(known);
  }
  const body = JSON.stringify(value);
  if (idem !== null) await storeResponse(db, key.id, idem, { method, path: url.pathname, status, body }, now);
  return plain(json(status, value));
}
