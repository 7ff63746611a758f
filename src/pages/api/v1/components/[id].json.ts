// GET /api/v1/components/<id>.json?days=N: one component (or group) with its uptime; unknown ids are a JSON 404.
import { loadApiContext } from '../../../../lib/server/api/api-context.ts';
import { extComponentBody, parseExtrasQuery } from '../../../../lib/server/api/extras.ts';
import { errorJson, jsonResponse, notFoundJson, readOnlyRoute } from '../../../../lib/server/api/http.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, url, params }) => {
  const query = parseExtrasQuery(url.searchParams);
  if (!query.ok) return errorJson(400, query.error);
  const body = extComponentBody(await loadApiContext(), params.id ?? '', query.value.days);
  return body ? jsonResponse(request, body) : notFoundJson(`Unknown component '${params.id ?? ''}'`);
});
