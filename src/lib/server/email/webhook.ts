// Resend's webhook: signature checked with the SDK, then bounced and complained addresses are suppressed for good.
import type { Db } from '../db/connection.ts';
import { webhookEventSchema } from '../subscribers/subscriber.schemas.ts';
import { suppressAddresses } from '../subscribers/subscriber.service.ts';
import { verifyWebhook } from './resend-client.ts';

export interface WebhookAnswer {
  status: number;
  body: { ok: boolean; message: string };
}

/** Verifies and applies one webhook delivery. Unknown event types are acknowledged (200) so Resend stops retrying. */
export async function handleResendWebhook(db: Db, payload: string, headers: Headers, secret: string | undefined, apiKey: string | undefined, now: number): Promise<WebhookAnswer> {
  if (!secret) return { status: 503, body: { ok: false, message: 'RESEND_WEBHOOK_SECRET is not set' } };
  const verified = verifyWebhook(payload, headers, secret, apiKey);
  if (!verified.ok) return { status: 401, body: { ok: false, message: `signature refused: ${verified.error}` } };
  const parsed = webhookEventSchema.safeParse(verified.event);
  if (!parsed.success) return { status: 400, body: { ok: false, message: 'not a Resend event' } };
  const event = parsed.data;
  if (event.type !== 'email.bounced' && event.type !== 'email.complained') return { status: 200, body: { ok: true, message: `ignored ${event.type}` } };
  const to = event.data.to === undefined ? [] : Array.isArray(event.data.to) ? event.data.to : [event.data.to];
  // "Name <address>" forms are reduced to the address.
  const addresses = to.map((t) => /<([^>]+)>/.exec(t)?.[1] ?? t);
  const known = await suppressAddresses(db, addresses, event.type === 'email.bounced' ? 'bounced' : 'complained', now);
  return { status: 200, body: { ok: true, message: `${event.type}: ${known} subscriber(s) suppressed` } };
}
