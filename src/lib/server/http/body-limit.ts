// Request body limits, enforced in the front server as bytes arrive, before the app reads any of them.
import type http from 'node:http';

export interface BodyLimits {
  /** Every form post (MAX_FORM_BYTES). */
  form: number;
  /** JSON bodies under /api/, the Resend webhook among them (MAX_WEBHOOK_BYTES). */
  api: number;
}

function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

/** The most body bytes a request to this path may send. */
export function bodyLimitFor(pathname: string, limits: BodyLimits): number {
  return isApiPath(pathname) ? limits.api : limits.form;
}

/** "64 KB (65536 bytes)": the limit as a person reads it, exact for a machine. */
export function describeBytes(n: number): string {
  const kb = n / 1024;
  const size = n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${+kb.toFixed(1)} KB`;
  return `${size} (${n} bytes)`;
}

/** The 413 text: JSON `{ error }` under /api/, plain text for forms. */
export function tooLargeMessage(pathname: string, limit: number): { contentType: string; body: string } {
  if (isApiPath(pathname)) {
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: `Request body too large: at most ${describeBytes(limit)} is accepted here` }) };
  }
  return {
    contentType: 'text/plain; charset=utf-8',
    body: `Request too large: this form sent more than ${describeBytes(limit)}, the most this site accepts. Nothing was saved; go back, shorten what you typed and send it again.\n`,
  };
}

/** After a 413, how long and how much of the rest of the upload is read and thrown away before closing. */
const LINGER_MS = 1000;
const LINGER_BYTES = 1024 * 1024;

function answerTooLarge(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, limit: number): void {
  const { contentType, body } = tooLargeMessage(pathname, limit);
  res.writeHead(413, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', Connection: 'close' });
  res.write(body);
  // The answer is complete (its length is declared), but closing while the upload still arrives would reset the
  // connection and could lose it: the rest is read and discarded, not kept, for a moment; then the connection closes.
  let discarded = 0;
  const finish = (): void => {
    clearTimeout(timer);
    req.off('data', discard);
    if (!res.writableEnded) res.end();
  };
  const discard = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) finish();
  };
  const timer = setTimeout(finish, LINGER_MS);
  req.on('data', discard);
  req.once('end', finish);
  req.once('close', finish);
  req.resume();
}

/**
 * Lets a request through to `next` only with a body that fits `limit`. A Content-Length over it is answered 413 at
 * once; one within it passes untouched (the HTTP parser reads no more than it declares). A body without a length
 * (chunked) is counted as it arrives: 413 and the connection closed as soon as it crosses the limit, otherwise handed
 * on whole as `req.body`, which the Astro adapter reads instead of the stream. At most `limit` bytes are ever held.
 */
export function limitBody(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, limit: number, next: () => void): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    if (Number(declared) > limit) {
      req.on('error', () => {});
      answerTooLarge(req, res, pathname, limit);
    }
    else next();
    return;
  }
  if (req.headers['transfer-encoding'] === undefined) {
    next();
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let refused = false;
  req.on('error', () => {}); // a client that hangs up mid-body: nothing to answer
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > limit) {
      refused = true;
      chunks.length = 0;
      req.off('data', onData);
      answerTooLarge(req, res, pathname, limit);
      return;
    }
    chunks.push(chunk);
  };
  req.on('data', onData);
  req.once('end', () => {
    if (refused) return;
    (req as http.IncomingMessage & { body?: Buffer }).body = Buffer.concat(chunks, received);
    next();
  });
}
