// GET /history.rss: the page's history feed (RSS 2.0), at Statuspage's path.
import { absoluteUrl, loadApiContext } from '../lib/server/api/api-context.ts';
import { cachedResponse, readOnlyRoute } from '../lib/server/api/http.ts';
import { collectFeed } from '../lib/server/feeds/feed.ts';
import { RSS_CONTENT_TYPE, writeRss } from '../lib/server/feeds/rss.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request }) => {
  const ctx = await loadApiContext();
  return cachedResponse(request, writeRss(collectFeed(ctx, null)!, absoluteUrl(ctx, '/history.rss')), RSS_CONTENT_TYPE);
});
