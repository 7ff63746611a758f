// Sends one message to one URL: SSRF re-checked at send time, no redirects followed, signed per Standard Webhooks.
import { Webhook } from 'standardwebhooks';
import { checkOutgoingUrl } from './ssrf-guard.ts';

const SEND_TIMEOUT_MS = 15_000;

export type SendResult = { ok: true; status: number } | { ok: false; error: string; retryable: boolean };

export interface SendRequest {
  url: string;
  body: unknown;
  /** The event's id for this subscriber: the same on every retry (webhook-id, Idempotency-Key). */
  messageId: string;
  /** Signs with this Standard Webhooks secret when set. */
  signingSecret: string | null;
  allowPrivate: boolean;
  now: number;
  signal?: AbortSignal;
}

/** POSTs the body as JSON; 2xx is success, 3xx (a redirect, not followed) and 4xx are failures, 5xx and timeouts retryable. */
export async function sendChannelMessage(r: SendRequest): Promise<SendResult> {
  const check = await checkOutgoingUrl(r.url, r.allowPrivate);
  if (!check.ok) return { ok: false, error: `URL ${check.reason}`, retryable: false };
  const payload = JSON.stringify(r.body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'KaizenStatus-Webhook/1', 'idempotency-key': r.messageId };
  if (r.signingSecret) {
    const ts = new Date(Math.floor(r.now / 1000) * 1000);
    headers['webhook-id'] = r.messageId;
    headers['webhook-timestamp'] = String(Math.floor(r.now / 1000));
    headers['webhook-signature'] = new Webhook(r.signingSecret).sign(r.messageId, ts, payload);
  }
  const signals = [AbortSignal.timeout(SEND_TIMEOUT_MS), ...(r.signal ? [r.signal] : [])];
  try {
    const res = await fetch(check.url, { method: 'POST', headers, body: payload, redirect: 'manual', signal: AbortSignal.any(signals) });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    return { ok: false, error: `answered ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}`, retryable };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e), retryable: true };
  }
}
