// Resend's webhook (bounces and complaints); signature-verified, so exempt from the Origin check.
import type { APIRoute } from 'astro';
import { handleResendWebhook, MAX_WEBHOOK_BYTES } from '../../../lib/server/email/webhook.ts';
import { env } from '../../../lib/server/env.ts';
import { database } from '../../../lib/server/status-data/runtime.ts';

const reply = (status: number, body: unknown, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra } });

export const POST: APIRoute = async ({ request }) => {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_WEBHOOK_BYTES) return reply(413, { ok: false, message: 'payload too large' });
  const settings = env();
  const answer = await handleResendWebhook(await database(), await request.text(), request.headers, settings.RESEND_WEBHOOK_SECRET, settings.RESEND_API_KEY, Date.now());
  return reply(answer.status, answer.body);
};

export const ALL: APIRoute = () => reply(405, { ok: false, message: 'POST only' }, { Allow: 'POST' });
