// Sends one message to one URL: SSRF re-checked at send time, no redirects followed, signed per Standard Webhooks.
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { checkOutgoingUrl, guardedLookup } from './ssrf-guard.ts';

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
  const signal = AbortSignal.any([AbortSignal.timeout(SEND_TIMEOUT_MS), ...(r.signal ? [r.signal] : [])]);
  try {
    const status = await post(check.url, headers, payload, signal, !r.allowPrivate);
    if (status >= 200 && status < 300) return { ok: true, status };
    const retryable = status >= 500 || status === 429 || status === 408;
    return { ok: false, error: `answered ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`, retryable };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EPRIVATEADDRESS') return { ok: false, error: `URL ${err.message}`, retryable: false };
    return { ok: false, error: err instanceof Error ? err.message : String(e), retryable: true };
  }
}

/** One POST with node:http(s), never following redirects; with `guard`, the connection's own DNS lookup refuses private addresses. */
function post(url: URL, headers: Record<string, string>, payload: string, signal: AbortSignal, guard: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) }, signal,
      ...(guard ? { lookup: guardedLookup } : {}),
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', (e) => reject(signal.aborted && e.name === 'AbortError' ? new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`) : e));
    req.end(payload);
  });
}
