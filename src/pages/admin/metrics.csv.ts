// GET /admin/metrics.csv?window=…&severity=…: the per-incident figures behind /admin/metrics (session required by the middleware).
import type { APIRoute } from 'astro';
import { statusModel } from '../../lib/server/status-data/runtime.ts';
import { CSV_CONTENT_TYPE, metricsCsv, metricsFilename } from '../../lib/server/views/admin/metrics-csv.ts';
import { parseMetricsQuery } from '../../lib/server/views/admin/metrics.view.ts';

export const GET: APIRoute = async ({ url }) => {
  const query = parseMetricsQuery(url.searchParams);
  if (!query) {
    return new Response('window must be 30, 90 or 365 and severity one of all, P0, P1, P2, P3.\n', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  return new Response(metricsCsv(await statusModel(), query, Date.now()), {
    headers: { 'Content-Type': CSV_CONTENT_TYPE, 'Content-Disposition': `attachment; filename="${metricsFilename(query)}"` },
  });
};
