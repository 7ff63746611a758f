// The only code that talks to Resend (the `resend` SDK): outcomes are returned as values, never thrown.
import { Resend } from 'resend';

/** One email as sent in a batch call. */
export interface BatchEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export type SendOutcome =
  /** Accepted: Resend's id per email (null where `errors` names that index). */
  | { ok: true; ids: (string | null)[]; errors: { index: number; message: string }[] }
  | { ok: false; kind: 'rate_limited'; retryAfterMs: number; error: string }
  /** 5xx, timeout, network, a concurrent request with the same key: try again with the same key. */
  | { ok: false; kind: 'retryable'; error: string }
  /** 4xx: Resend refused the request; retrying it unchanged cannot help. */
  | { ok: false; kind: 'rejected'; error: string };

export interface BatchSender {
  send(emails: BatchEmail[], idempotencyKey: string, signal: AbortSignal): Promise<SendOutcome>;
}

/** Resend's Retry-After (seconds or an HTTP date) in milliseconds; `fallback` when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number, fallback: number): number {
  if (!value) return fallback;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? fallback : Math.max(0, at - now);
}

/** Classifies an SDK error response (status, code, headers) into what the worker does next. */
export function classifyError(error: { message: string; statusCode: number | null; name: string }, headers: Record<string, string> | null, now: number): SendOutcome {
  const status = error.statusCode;
  const text = `${status ?? 'no response'} ${error.name}: ${error.message}`;
  if (status === 429) {
    const quota = error.name === 'daily_quota_exceeded' || error.name === 'monthly_quota_exceeded';
    return { ok: false, kind: 'rate_limited', retryAfterMs: retryAfterMs(headers?.['retry-after'], now, quota ? 3_600_000 : 1000), error: text };
  }
  if (status === null || status >= 500 || error.name === 'concurrent_idempotent_requests') return { ok: false, kind: 'retryable', error: text };
  return { ok: false, kind: 'rejected', error: error.message };
}

/** Pairs the ids Resend returned with the emails sent: permissive mode returns ids for the accepted ones, in order. */
export function pairIds(count: number, data: { id: string }[], errors: { index: number; message: string }[]): (string | null)[] {
  const failed = new Set(errors.map((e) => e.index));
  const ids: (string | null)[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) ids.push(failed.has(i) ? null : (data[next++]?.id ?? null));
  return ids;
}

/** A sender over the SDK's batch endpoint (RESEND_BASE_URL, read by the SDK, points it elsewhere in tests). */
export function resendSender(apiKey: string, timeoutMs: number): BatchSender {
  const resend = new Resend(apiKey);
  return {
    async send(emails, idempotencyKey, signal) {
      const started = Date.now();
      try {
        const r = await resend.batch.send(emails, {
          idempotencyKey,
          // One bad address must not hold back the other 99.
          batchValidation: 'permissive',
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
        if (r.error && r.error.statusCode === null && Date.now() - started >= timeoutMs) {
          return { ok: false, kind: 'retryable', error: `no answer within ${timeoutMs / 1000} s` };
        }
        if (r.error) return classifyError(r.error, r.headers, Date.now());
        const body = r.data as { data?: { id: string }[]; errors?: { index: number; message: string }[] };
        const errors = body.errors ?? [];
        return { ok: true, ids: pairIds(emails.length, body.data ?? [], errors), errors };
      } catch (e) {
        const reason = Date.now() - started >= timeoutMs ? `timed out after ${timeoutMs} ms` : e instanceof Error ? e.message : String(e);
        return { ok: false, kind: 'retryable', error: reason };
      }
    },
  };
}

export type WebhookVerification = { ok: true; event: unknown } | { ok: false; error: string };

/** Checks a webhook's signature with the SDK (Svix headers), returning the parsed event. */
export function verifyWebhook(payload: string, headers: Headers, secret: string, apiKey: string | undefined): WebhookVerification {
  const id = headers.get('svix-id') ?? headers.get('webhook-id');
  const timestamp = headers.get('svix-timestamp') ?? headers.get('webhook-timestamp');
  const signature = headers.get('svix-signature') ?? headers.get('webhook-signature');
  if (!id || !timestamp || !signature) return { ok: false, error: 'missing signature headers' };
  try {
    // The key is not used to verify; the SDK only insists on having one.
    const event = new Resend(apiKey ?? 're_webhook_verification_only').webhooks.verify({ payload, headers: { id, timestamp, signature }, webhookSecret: secret });
    return { ok: true, event };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** What kind of provider failure a call's (stored) error was, for the admin's summary; null when it was none. */
export type FailureCause = '429' | '5xx' | 'timeouts' | 'network';
export const failureCauses: readonly FailureCause[] = ['429', '5xx', 'timeouts', 'network'];

/** Reads the cause back from an error text written above (a batch's last_error). */
export function failureCause(error: string): FailureCause | null {
  if (/^429 /.test(error)) return '429';
  if (/^5\d\d /.test(error)) return '5xx';
  if (/concurrent_idempotent_requests/.test(error) || /^4\d\d /.test(error) || error.startsWith('Resend: ')) return null;
  if (/no answer within|timed out|timeout/i.test(error)) return 'timeouts';
  return 'network';
}
