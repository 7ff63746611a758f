// GET /maintenance/<id>.ics: one maintenance window as an iCalendar file ("Add to calendar").
import { loadApiContext } from '../../lib/server/api/api-context.ts';
import { cachedResponse, notFoundJson, readOnlyRoute } from '../../lib/server/api/http.ts';
import { maintenanceCalendar } from '../../lib/server/calendar/maintenance-calendar.ts';
import { ICS_CONTENT_TYPE } from '../../lib/server/calendar/ics.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, params, locals }) => {
  const ctx = await loadApiContext();
  const m = ctx.model.maintenanceById.get(params.id ?? '');
  if (!m) return notFoundJson('No such maintenance window');
  return cachedResponse(request, maintenanceCalendar(ctx, m, locals.locale), ICS_CONTENT_TYPE);
});
