// GET /api/v1/incidents.json?limit=N: our extras (severity, response times, post-mortem links); see docs/api.md.
import { loadApiContext } from '../../../lib/server/api/api-context.ts';
import { extIncidentsBody, parseExtrasQuery } from '../../../lib/server/api/extras.ts';
import { errorJson, jsonResponse, readOnlyRoute } from '../../../lib/server/api/http.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, url }) => {
  const query = parseExtrasQuery(url.searchParams);
  if (!query.ok) return errorJson(400, query.error);
  return jsonResponse(request, extIncidentsBody(await loadApiContext(), query.value.limit));
});
