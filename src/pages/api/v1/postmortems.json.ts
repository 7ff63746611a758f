// GET /api/v1/postmortems.json: published post-mortems with links; see docs/api.md.
import { loadApiContext } from '../../../lib/server/api/api-context.ts';
import { extPostmortemsBody } from '../../../lib/server/api/extras.ts';
import { jsonResponse, readOnlyRoute } from '../../../lib/server/api/http.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request }) =>
  jsonResponse(request, extPostmortemsBody(await loadApiContext())));
