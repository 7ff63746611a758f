// POST /api/v1/alerts/webhook: alerts in (README, "Alerts from Prometheus Alertmanager"); bearer ALERTS_TOKEN, 404 unset.
import type { APIRoute } from 'astro';
import { handleAlertPost } from '../../../../lib/server/alerts/alert-endpoint.ts';

export const POST: APIRoute = ({ request }) => handleAlertPost(request, 'webhook');

export const ALL: APIRoute = () =>
  new Response(JSON.stringify({ error: 'POST only' }), { status: 405, headers: { Allow: 'POST', 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } });
