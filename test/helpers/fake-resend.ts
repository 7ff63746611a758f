// A stand-in for Resend's batch endpoint on 127.0.0.1: records every call, answers as told, dedupes by Idempotency-Key.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMode =
  | { kind: 'ok' }
  | { kind: '429'; retryAfter: number }
  | { kind: '500' }
  | { kind: '400'; message?: string }
  /** Processes the batch (delivers it and remembers the answer under its key), then never answers: a lost response. */
  | { kind: 'hang' }
  /** Takes the request and never answers, processing nothing: a provider that hangs (a retry is not a replay). */
  | { kind: 'stall' }
  /** Processes the batch like 'ok', but holds the answer until release() (or releaseHeld()) is called: a slow Resend. */
  | { kind: 'hold' };

export interface FakeEmail {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export interface FakeCall {
  /** When the request arrived (its headers), by this process's clock. */
  at: number;
  idempotencyKey: string | null;
  batchValidation: string | null;
  size: number;
  /** What was answered ('hang' when nothing was, 'held' while a held answer waits for release()). */
  status: number | 'hang' | 'held';
  /** Answered from the idempotency store: nothing new was delivered. */
  replayed: boolean;
}

export interface FakeResend {
  url: string;
  calls: FakeCall[];
  /** Every email accepted, once: a replayed key adds nothing. */
  delivered: FakeEmail[];
  /** Answers every following call this way. */
  setMode(mode: FakeMode): void;
  /** Answers the next call(s) this way, then goes back to the current mode. */
  queue(mode: FakeMode, times?: number): void;
  /** Sends the answers held by 'hold' mode (and answers later 'hold' calls at once until setMode/queue again). */
  release(): void;
  deliveredTo(address: string): FakeEmail[];
  /** Answers every call held by the 'hold' mode (200), leaving the mode as it is. */
  releaseHeld(): void;
  /** Calls that were answered 200, replayed or not. */
  acceptedCalls(): FakeCall[];
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const error = (res: http.ServerResponse, status: number, name: string, message: string, headers: Record<string, string> = {}): void =>
  json(res, status, { statusCode: status, name, message }, headers);

/**
 * `rateLimit`: requests per second it holds callers to (sliding one-second window, 429 beyond it), like Resend.
 * `keepBodies: false` drops html and text from `delivered` (the benchmark's 10,000 emails).
 */
export async function startFakeResend(options: { rateLimit?: number; keepBodies?: boolean } = {}): Promise<FakeResend> {
  let mode: FakeMode = { kind: 'ok' };
  const queued: FakeMode[] = [];
  const calls: FakeCall[] = [];
  const delivered: FakeEmail[] = [];
  const byKey = new Map<string, { hash: string; body: unknown }>();
  const recent: number[] = [];
  let nextId = 1;
  let held: (() => void)[] = [];

  const server = http.createServer((req, res) => {
    // Arrival is when the request's headers came in (as a rate limiter at the door counts), not when its body
    // of up to a hundred emails finished uploading.
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const key = req.headers['idempotency-key'] as string | undefined ?? null;
      const batchValidation = req.headers['x-batch-validation'] as string | undefined ?? null;
      const call: FakeCall = { at, idempotencyKey: key, batchValidation, size: 0, status: 200, replayed: false };
      calls.push(call);
      const answer = (status: FakeCall['status']): void => { call.status = status; };
      if (req.method !== 'POST' || req.url !== '/emails/batch') return (answer(404), error(res, 404, 'not_found', 'not found'));
      if (!/^Bearer re_\S+$/.test(req.headers.authorization ?? '')) return (answer(401), error(res, 401, 'missing_api_key', 'Missing API key in the authorization header.'));
      while (recent.length > 0 && recent[0]! <= at - 1000) recent.shift();
      if (options.rateLimit !== undefined && recent.length >= options.rateLimit) {
        recent.push(at);
        return (answer(429), error(res, 429, 'rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second.', { 'retry-after': '1' }));
      }
      recent.push(at);
      let emails: Omit<FakeEmail, 'id' | 'idempotencyKey'>[];
      try {
        emails = JSON.parse(raw) as Omit<FakeEmail, 'id' | 'idempotencyKey'>[];
        if (!Array.isArray(emails) || emails.length === 0 || emails.length > 100) throw new Error('size');
      } catch {
        return (answer(422), error(res, 422, 'validation_error', 'The batch must be an array of 1 to 100 emails.'));
      }
      call.size = emails.length;
      const hash = createHash('sha256').update(raw).digest('hex');
      const stored = key ? byKey.get(key) : undefined;
      if (stored) {
        if (stored.hash !== hash) return (answer(409), error(res, 409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.'));
        call.replayed = true;
        return (answer(200), json(res, 200, stored.body));
      }
      const m = queued.shift() ?? mode;
      if (m.kind === '429') return (answer(429), error(res, 429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': String(m.retryAfter) }));
      if (m.kind === '500') return (answer(500), error(res, 500, 'internal_server_error', 'An unexpected error occurred.'));
      if (m.kind === '400') return (answer(400), error(res, 400, 'validation_error', m.message ?? 'Invalid `from` field.'));
      if (m.kind === 'stall') return answer('hang');
      const permissive = batchValidation === 'permissive';
      const invalid = (e: Omit<FakeEmail, 'id' | 'idempotencyKey'>): string | null =>
        !e.from || !e.subject ? 'Missing `from` or `subject`.' : !Array.isArray(e.to) || e.to.some((t) => !/^[^@\s]+@[^@\s]+$/.test(t) || t.endsWith('.invalid')) ? 'Invalid `to` field.' : null;
      const errors = emails.map((e, index) => ({ index, message: invalid(e) })).filter((e): e is { index: number; message: string } => e.message !== null);
      if (errors.length > 0 && !permissive) return (answer(422), error(res, 422, 'validation_error', errors[0]!.message));
      const data: { id: string }[] = [];
      emails.forEach((e, i) => {
        if (errors.some((x) => x.index === i)) return;
        const id = `fake_${nextId++}`;
        data.push({ id });
        delivered.push(options.keepBodies === false ? { ...e, html: '', text: '', id, idempotencyKey: key } : { ...e, id, idempotencyKey: key });
      });
      const body = permissive ? { data, errors } : { data };
      if (key) byKey.set(key, { hash, body });
      if (m.kind === 'hang') return answer('hang');
      if (m.kind === 'hold') {
        answer('held');
        held.push(() => { answer(200); json(res, 200, body); });
        return;
      }
      answer(200);
      json(res, 200, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    delivered,
    setMode: (m) => { mode = m; },
    queue: (m, times = 1) => { for (let i = 0; i < times; i++) queued.push(m); },
    release: () => {
      if (mode.kind === 'hold') mode = { kind: 'ok' };
      const waiting = held;
      held = [];
      for (const send of waiting) send();
    },
    deliveredTo: (address) => delivered.filter((e) => e.to.includes(address)),
    releaseHeld: () => {
      const answers = held;
      held = [];
      for (const a of answers) a();
    },
    acceptedCalls: () => calls.filter((c) => c.status === 200),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
