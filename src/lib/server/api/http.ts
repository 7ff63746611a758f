// HTTP for every public machine-readable response: CORS, ETag/304, short caching, JSON errors, preflight.
import { createHash } from 'node:crypto';
import type { APIContext, APIRoute } from 'astro';

/** Short enough that a status change shows within seconds, long enough that a CDN absorbs bursts. */
export const CACHE_CONTROL = 'public, max-age=0, s-maxage=10, stale-while-revalidate=30';
/** Everything here is read-only. */
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag',
};

/** A strong validator over the exact bytes sent. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** True when If-None-Match names this ETag (weak comparison, as RFC 9110 asks for GET/HEAD) or is "*". */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string): string => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

/** A cacheable, CORS-open 200 (or 304 when the client already has these bytes). */
export function cachedResponse(request: Request, body: string, contentType: string): Response {
  const etag = etagOf(body);
  const headers = new Headers({ ...corsHeaders, 'Cache-Control': CACHE_CONTROL, ETag: etag });
  if (matchesIfNoneMatch(request.headers.get('If-None-Match'), etag)) return new Response(null, { status: 304, headers });
  headers.set('Content-Type', contentType);
  return new Response(body, { status: 200, headers });
}

/** A JSON body with the API's headers. */
export function jsonResponse(request: Request, value: unknown): Response {
  return cachedResponse(request, JSON.stringify(value), 'application/json; charset=utf-8');
}

/** An error as JSON `{ "error": … }`, never an HTML page; errors are not cached by shared caches. */
export function errorJson(status: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: message }), {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
  });
}

/** 404 for an unknown id or path. */
export function notFoundJson(message = 'Not found'): Response {
  return errorJson(404, message);
}

/** The answer to a CORS preflight: anyone may GET. */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders,
      'Access-Control-Allow-Methods': ALLOWED_METHODS,
      'Access-Control-Allow-Headers': 'If-None-Match, Content-Type',
      'Access-Control-Max-Age': '86400',
      Allow: ALLOWED_METHODS,
      'Cache-Control': CACHE_CONTROL,
    },
  });
}

/** 405 for writes: this API is read-only. */
export function methodNotAllowed(): Response {
  return errorJson(405, 'Method not allowed: this API is read-only', { Allow: ALLOWED_METHODS });
}

/** The handlers a read-only route file exports. */
export interface ReadOnlyRoute {
  GET: APIRoute;
  HEAD: APIRoute;
  OPTIONS: APIRoute;
  ALL: APIRoute;
}

/** The exports of a read-only route: GET (HEAD alike), OPTIONS preflight, anything else 405; a failure is JSON too. */
export function readOnlyRoute(get: (context: APIContext) => Promise<Response> | Response): ReadOnlyRoute {
  const safeGet: APIRoute = async (context) => {
    try {
      return await get(context);
    } catch (e) {
      console.error(`${context.url.pathname}:`, e);
      return errorJson(500, 'Internal error');
    }
  };
  return { GET: safeGet, HEAD: safeGet, OPTIONS: () => preflight(), ALL: () => methodNotAllowed() };
}
