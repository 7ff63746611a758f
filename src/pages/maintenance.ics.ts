// GET /maintenance.ics: a calendar feed of the maintenance windows not yet over, to subscribe to.
import { loadApiContext } from '../lib/server/api/api-context.ts';
import { cachedResponse, readOnlyRoute } from '../lib/server/api/http.ts';
import { maintenanceFeed } from '../lib/server/calendar/maintenance-calendar.ts';
import { ICS_CONTENT_TYPE } from '../lib/server/calendar/ics.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, locals }) =>
  cachedResponse(request, maintenanceFeed(await loadApiContext(), locals.locale), ICS_CONTENT_TYPE));
