// GET /api/v1/uptime.json?days=N: per-component uptime with per-day figures; see docs/api.md.
import { loadApiContext } from '../../../lib/server/api/api-context.ts';
import { extUptimeBody, parseExtrasQuery } from '../../../lib/server/api/extras.ts';
import { errorJson, jsonResponse, readOnlyRoute } from '../../../lib/server/api/http.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, url }) => {
  const query = parseExtrasQuery(url.searchParams);
  if (!query.ok) return errorJson(400, query.error);
  return jsonResponse(request, extUptimeBody(await loadApiContext(), query.value.days));
});
