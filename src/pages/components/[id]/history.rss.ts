// GET /components/<id>/history.rss: one component's (or group's) history feed; unknown ids are a JSON 404.
import { absoluteUrl, loadApiContext } from '../../../lib/server/api/api-context.ts';
import { cachedResponse, notFoundJson, readOnlyRoute } from '../../../lib/server/api/http.ts';
import { collectFeed } from '../../../lib/server/feeds/feed.ts';
import { RSS_CONTENT_TYPE, writeRss } from '../../../lib/server/feeds/rss.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, params }) => {
  const ctx = await loadApiContext();
  const id = params.id ?? '';
  const feed = collectFeed(ctx, id);
  if (!feed) return notFoundJson(`Unknown component '${id}'`);
  return cachedResponse(request, writeRss(feed, absoluteUrl(ctx, `/components/${encodeURIComponent(id)}/history.rss`)), RSS_CONTENT_TYPE);
});
