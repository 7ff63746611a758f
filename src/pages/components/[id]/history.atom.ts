// GET /components/<id>/history.atom: one component's (or group's) history feed; unknown ids are a JSON 404.
import { absoluteUrl, loadApiContext } from '../../../lib/server/api/api-context.ts';
import { cachedResponse, notFoundJson, readOnlyRoute } from '../../../lib/server/api/http.ts';
import { ATOM_CONTENT_TYPE, writeAtom } from '../../../lib/server/feeds/atom.ts';
import { collectFeed } from '../../../lib/server/feeds/feed.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, params }) => {
  const ctx = await loadApiContext();
  const id = params.id ?? '';
  const feed = collectFeed(ctx, id);
  if (!feed) return notFoundJson(`Unknown component '${id}'`);
  return cachedResponse(request, writeAtom(feed, absoluteUrl(ctx, `/components/${encodeURIComponent(id)}/history.atom`)), ATOM_CONTENT_TYPE);
});
