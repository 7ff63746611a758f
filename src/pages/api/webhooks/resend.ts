// Resend's webhook (bounces and complaints); signature-verified, so exempt from the Origin check.
// Its body size (MAX_WEBHOOK_BYTES) is counted by the front server as it arrives (src/lib/server/http/body-limit.ts).
import type { APIRoute } from 'astro';
import { handleResendWebhook } from '../../../lib/server/email/webhook.ts';
import { env } from '../../../lib/server/env.ts';
import { describeBytes } from '../../../lib/server/http/body-limit.ts';
import { database } from '../../../lib/server/status-data/runtime.ts';

const reply = (status: number, body: unknown, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra } });

export const POST: APIRoute = async ({ request }) => {
  const settings = env();
  if (Number(request.headers.get('content-length') ?? 0) > settings.MAX_WEBHOOK_BYTES) return reply(413, { ok: false, error: `Request body too large: at most ${describeBytes(settings.MAX_WEBHOOK_BYTES)} is accepted here` });
  const payload = await request.text().catch(() => null);
  if (payload === null) return reply(400, { ok: false, error: 'The request body could not be read' });
  const answer = await handleResendWebhook(await database(), payload, request.headers, settings.RESEND_WEBHOOK_SECRET, settings.RESEND_API_KEY, Date.now());
  return reply(answer.status, answer.body);
};

export const ALL: APIRoute = () => reply(405, { ok: false, message: 'POST only' }, { Allow: 'POST' });
