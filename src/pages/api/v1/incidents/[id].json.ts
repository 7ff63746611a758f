// GET /api/v1/incidents/<id>.json: one incident with our extras; unknown ids are a JSON 404.
import { loadApiContext } from '../../../../lib/server/api/api-context.ts';
import { extIncident } from '../../../../lib/server/api/extras.ts';
import { jsonResponse, notFoundJson, readOnlyRoute } from '../../../../lib/server/api/http.ts';

export const { GET, HEAD, OPTIONS, ALL } = readOnlyRoute(async ({ request, params }) => {
  const ctx = await loadApiContext();
  const incident = ctx.model.incidentById.get(params.id ?? '');
  if (!incident || incident.updates.length === 0) return notFoundJson(`Unknown incident '${params.id ?? ''}'`);
  return jsonResponse(request, { incident: extIncident(ctx, incident) });
});
