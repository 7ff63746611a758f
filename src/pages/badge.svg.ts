// GET /badge.svg: the overall status as a small SVG badge.
import { loadApiContext } from '../lib/server/api/api-context.ts';
import { cachedResponse, readOnlyRoute } from '../lib/server/api/http.ts';
import { overallBadge, renderBadge, SVG_CONTENT_TYPE } from '../lib/server/badges/badge.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request }) =>
  cachedResponse(request, renderBadge(overallBadge(await loadApiContext())), SVG_CONTENT_TYPE));
