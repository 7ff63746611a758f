// Request body limits over HTTP against the built server: forms over MAX_FORM_BYTES and webhook bodies over
// MAX_WEBHOOK_BYTES answered 413 by the front server, a chunked upload cut off while it is still being sent.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir, env: { ...(await atPublicUrl()), RESEND_WEBHOOK_SECRET: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=' } });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

const post = (p: string, body: string, type = 'application/x-www-form-urlencoded'): Promise<Response> =>
  server.get(p, { method: 'POST', body, headers: { origin: new URL(server.url).origin, 'content-type': type } });

describe('form bodies (MAX_FORM_BYTES, 64 KB by default)', () => {
  for (const p of ['/admin/login', '/subscribe']) {
    it(`a 65 KB form to ${p} is answered 413 saying why`, async () => {
      const r = await post(p, `email=${'a'.repeat(65 * 1024)}%40acme.test&password=x`);
      expect(r.status).toBe(413);
      expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await r.text()).toContain('this form sent more than 64 KB (65536 bytes), the most this site accepts');
    });
  }

  it('a form just under the limit still works', async () => {
    // 64 KB less a little: the sign-in answers as a failed sign-in (or names the field), never 413.
    const email = `${'a'.repeat(60 * 1024)}@acme.test`;
    const body = new URLSearchParams({ email, password: 'x' }).toString();
    expect(body.length).toBeLessThan(64 * 1024);
    const r = await post('/admin/login', body);
    expect(r.status).not.toBe(413);
    expect(r.status).toBeLessThan(500);
    const subscribe = await post('/subscribe', new URLSearchParams({ email: 'reader@acme.test', website: '', pad: 'x'.repeat(60 * 1024) }).toString());
    expect(subscribe.status).toBeLessThan(400);
  });
});

/** Sends `total` bytes chunked in 64 KB pieces, stopping as soon as an answer arrives; resolves with the answer. */
function chunkedUpload(p: string, total: number): Promise<{ status: number; body: string; sent: number; finished: boolean }> {
  const url = new URL(p, server.url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let finished = false;
    let answered = false;
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sent, finished }));
      res.on('error', reject);
    });
    // The server closing while we still send is expected; the answer (or its absence) decides.
    req.on('error', (e) => { if (!answered) reject(e); });
    const piece = Buffer.alloc(64 * 1024, 0x20);
    // One piece per turn of the event loop, each handed to the socket first, so an early answer is read as it arrives.
    const write = async (): Promise<void> => {
      while (!answered && sent < total) {
        await new Promise<void>((r) => req.write(piece, () => r()));
        sent += piece.length;
        await new Promise((r) => setImmediate(r));
      }
      if (!answered) {
        finished = true;
        req.end();
      }
    };
    write().catch(() => {});
  });
}

describe('the Resend webhook (MAX_WEBHOOK_BYTES, 256 KB by default)', () => {
  it('a chunked 10 MB upload is answered 413 while it is still being sent, never buffered whole', async () => {
    const r = await chunkedUpload('/api/webhooks/resend', 10 * 1024 * 1024);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: 'Request body too large: at most 256 KB (262144 bytes) is accepted here' });
    // The answer came before the client had sent the body: the server stopped at the limit.
    expect(r.finished).toBe(false);
    expect(r.sent).toBeLessThan(10 * 1024 * 1024);
  });

  it('a Content-Length over the limit is answered 413 at once', async () => {
    const r = await post('/api/webhooks/resend', 'x'.repeat(257 * 1024), 'application/json');
    expect(r.status).toBe(413);
    expect((await r.json()) as unknown).toEqual({ error: 'Request body too large: at most 256 KB (262144 bytes) is accepted here' });
  });

  it('a chunked body under the limit reaches the webhook (which checks its signature)', async () => {
    const r = await chunkedUpload('/api/webhooks/resend', 128 * 1024);
    expect(r.finished).toBe(true);
    expect(r.status).toBe(401);
  });
});
