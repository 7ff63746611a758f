// GET /components/<id>/badge.svg: one component's (or group's) status badge; unknown ids are a JSON 404.
import { loadApiContext } from '../../../lib/server/api/api-context.ts';
import { cachedResponse, notFoundJson, readOnlyRoute } from '../../../lib/server/api/http.ts';
import { componentBadge, renderBadge, SVG_CONTENT_TYPE } from '../../../lib/server/badges/badge.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, params }) => {
  const badge = componentBadge(await loadApiContext(), params.id ?? '');
  return badge ? cachedResponse(request, renderBadge(badge), SVG_CONTENT_TYPE) : notFoundJson(`Unknown component '${params.id ?? ''}'`);
});
