// /metrics in Prometheus' text format (prom-client), answered by the server script like /healthz. Off (404) unless
// METRICS_TOKEN is set; then only `Authorization: Bearer <token>` reads it. Labels are bounded: route patterns, not paths.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/connection.ts';
import { unsentSummary } from '../email/outbox.ts';
import type { SendOutcome } from '../email/resend-client.ts';
import { routePattern } from './route-pattern.ts';

/** A scrape waits at most this long for the outbox query (a hung database must not hang the scrape). */
const OUTBOX_READ_TIMEOUT_MS = 1000;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface MetricsOptions {
  /** METRICS_TOKEN; null turns /metrics off. */
  token: string | null;
  db: Db;
  /** The response cache's running totals. */
  cacheStats: () => { hits: number; misses: number } | null;
  /** Content files with problems now, or null before the content is loaded. */
  contentProblems: () => number | null;
  now?: () => number;
}

export interface Metrics {
  /** Answers /metrics; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Counts the request by route pattern and status once its response is finished. */
  observe(req: IncomingMessage, res: ServerResponse): void;
  /** Wraps a render so its duration is recorded. */
  timeRender<A extends unknown[], R>(render: (...args: A) => Promise<R>): (...args: A) => Promise<R>;
  /** Records what Resend answered a batch call of `emails` emails. */
  emailOutcome(outcome: SendOutcome, emails: number): void;
}

/** Equal tokens, compared in constant time (hashed first so their lengths do not show either). */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A counter that mirrors a running total kept elsewhere (it only moves forward). */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number | null): void {
  let seen = 0;
  new Counter({
    name, help, registers: [registry],
    collect() {
      const total = read();
      if (total !== null && total > seen) {
        this.inc(total - seen);
        seen = total;
      }
    },
  });
}

export function createMetrics(o: MetricsOptions): Metrics {
  const now = o.now ?? Date.now;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'kaizen_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const, registers: [registry],
  });
  const renders = new Histogram({
    name: 'kaizen_render_duration_seconds', help: 'Time to render a page through the app (response cache misses and the static mirror).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
  });
  mirroredCounter(registry, 'kaizen_response_cache_hits_total', 'Requests answered from the response cache.', () => o.cacheStats()?.hits ?? null);
  mirroredCounter(registry, 'kaizen_response_cache_misses_total', 'Requests the response cache had to render.', () => o.cacheStats()?.misses ?? null);
  const sends = new Counter({
    name: 'kaizen_email_batch_calls_total', help: 'Batch calls to Resend, by outcome (accepted, rate_limited, retryable, rejected).',
    labelNames: ['outcome'] as const, registers: [registry],
  });
  const emails = new Counter({
    name: 'kaizen_emails_total', help: 'Emails Resend accepted (sent) or refused (failed) in batch calls.',
    labelNames: ['result'] as const, registers: [registry],
  });

  type Outbox = { count: number; oldestAt: number | null } | null;
  const readOutbox = (): Promise<Outbox> => {
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), OUTBOX_READ_TIMEOUT_MS).unref());
    return Promise.race([unsentSummary(o.db).catch(() => null), timeout]);
  };
  // Read once per scrape, at its start; prom-client collects the gauges concurrently.
  let outbox: Promise<Outbox> = Promise.resolve(null);
  new Gauge({
    name: 'kaizen_email_outbox_readable', help: '1 when the outbox could be read for this scrape; 0 when the database did not answer in time (the outbox gauges are then NaN).',
    registers: [registry],
    async collect() { this.set((await outbox) ? 1 : 0); },
  });
  new Gauge({
    name: 'kaizen_email_outbox_depth', help: 'Emails queued or being sent.', registers: [registry],
    async collect() {
      const s = await outbox;
      this.set(s ? s.count : Number.NaN);
    },
  });
  new Gauge({
    name: 'kaizen_email_outbox_oldest_unsent_age_seconds', help: 'Age of the oldest email not sent yet (0 when none waits).', registers: [registry],
    async collect() {
      const s = await outbox;
      this.set(!s ? Number.NaN : s.oldestAt === null ? 0 : Math.max(0, (now() - s.oldestAt) / 1000));
    },
  });
  new Gauge({
    name: 'kaizen_content_problems', help: 'Content files with problems (NaN before the content is loaded).', registers: [registry],
    collect() { this.set(o.contentProblems() ?? Number.NaN); },
  });

  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  return {
    handle(req, res) {
      if ((req.url ?? '/').split('?', 1)[0] !== '/metrics') return false;
      if (o.token === null) {
        send(res, 404, 'Not found\n');
        return true;
      }
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !sameToken(m[1]!, o.token)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        send(res, 401, 'Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n');
        return true;
      }
      // The gauges say what they could not read; the scrape itself only fails on a bug.
      outbox = readOutbox();
      registry.metrics().then(
        // prom-client writes NaN as "Nan"; the format's spelling is "NaN".
        (text) => send(res, 200, text.replace(/ Nan$/gm, ' NaN'), registry.contentType),
        (e: unknown) => send(res, 500, `metrics: ${e instanceof Error ? e.message : String(e)}\n`),
      );
      return true;
    },
    observe(req, res) {
      const route = routePattern((req.url ?? '/').split('?', 1)[0]!);
      const method = METHODS.has(req.method ?? '') ? req.method! : 'other';
      res.once('finish', () => requests.inc({ route, method, status: String(res.statusCode) }));
    },
    timeRender(render) {
      return async (...args) => {
        const end = renders.startTimer();
        try {
          return await render(...args);
        } finally {
          end();
        }
      };
    },
    emailOutcome(outcome, count) {
      sends.inc({ outcome: outcome.ok ? 'accepted' : outcome.kind });
      if (!outcome.ok) return;
      const failed = outcome.errors.length;
      if (count - failed > 0) emails.inc({ result: 'sent' }, count - failed);
      if (failed > 0) emails.inc({ result: 'failed' }, failed);
    },
  };
}
