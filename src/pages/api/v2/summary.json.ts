// GET /api/v2/summary.json: Statuspage public API v2 compatible (see docs/api.md).
import { loadApiContext } from '../../../lib/server/api/api-context.ts';
import { jsonResponse, readOnlyRoute } from '../../../lib/server/api/http.ts';
import { summaryBody, spState } from '../../../lib/server/api/statuspage.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request }) =>
  jsonResponse(request, summaryBody(spState(await loadApiContext()))));
