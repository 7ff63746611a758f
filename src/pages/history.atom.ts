// GET /history.atom: the page's history feed (Atom 1.0), at Statuspage's path.
import { absoluteUrl, loadApiContext } from '../lib/server/api/api-context.ts';
import { cachedResponse, readOnlyRoute } from '../lib/server/api/http.ts';
import { ATOM_CONTENT_TYPE, writeAtom } from '../lib/server/feeds/atom.ts';
import { collectFeed } from '../lib/server/feeds/feed.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request }) => {
  const ctx = await loadApiContext();
  return cachedResponse(request, writeAtom(collectFeed(ctx, null)!, absoluteUrl(ctx, '/history.atom')), ATOM_CONTENT_TYPE);
});
