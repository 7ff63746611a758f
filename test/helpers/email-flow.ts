// Helpers for the email integration tests: a server wired to the fake Resend, signed webhooks, links out of emails.
import { createHmac, randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
export { firstAdmin } from './admin-client.ts';
import type { FakeEmail, FakeResend } from './fake-resend.ts';
import { eventually, type RunningServer } from './server.ts';

export const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

/** Settings that send every email to the fake server. */
export function emailEnv(fake: FakeResend, extra: Record<string, string> = {}): Record<string, string> {
  return {
    RESEND_API_KEY: 're_test_key',
    RESEND_BASE_URL: fake.url,
    EMAIL_FROM: 'Acme Status <status@acme.test>',
    RESEND_RATE_LIMIT: '20',
    RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...extra,
  };
}

/** Creates the first admin through the printed setup link and returns a signed-in client. */
/** The local path of the first link in an email's text that goes to `prefix` (/subscribe/confirm/, /manage/, /unsubscribe/). */
export function linkPath(email: FakeEmail, prefix: string): string {
  const m = new RegExp(`https?://[^/\\s]+(${prefix.replace(/\//g, '\\/')}[a-z2-7]+)`).exec(email.text);
  if (!m) throw new Error(`no ${prefix} link in:\n${email.text}`);
  return m[1]!;
}

/** A public form post from this site's own page (Origin set). */
export function postForm(server: RunningServer, p: string, fields: [string, string][], init: { origin?: string | null } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const origin = init.origin === undefined ? new URL(server.url).origin : init.origin;
  if (origin) headers.origin = origin;
  return server.get(p, { method: 'POST', body: new URLSearchParams(fields), headers });
}

/** Signs a webhook body as Resend (Svix) does. */
export function signedWebhook(body: string, secret = WEBHOOK_SECRET): Record<string, string> {
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const ts = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
  return { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': ts, 'svix-signature': `v1,${sig}` };
}

/** Runs a read-only query on the server's SQLite file. */
export function query<T>(server: { dataDir: string }, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(server.dataDir, 'status.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * Resolves once the server's outbox is at rest: nothing queued, being sent or stored for a retry. Emails enqueued
 * before the call have then all gone out (or failed), and nothing more is sent until something new is enqueued:
 * the condition to wait for before asserting that someone got nothing more, instead of sleeping.
 */
export async function outboxIdle(server: { dataDir: string }, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    expect(query(server, "select id, state from email_outbox where state in ('queued', 'sending')")).toEqual([]);
    expect(query(server, "select id from email_batch where state = 'pending'")).toEqual([]);
  }, timeoutMs);
}
