// The two alert routes' shared edge: token, body, then the service; 2xx once stored, 5xx only when it could not be,
// 4xx (with a JSON reason) for a bad token or body (Alertmanager retries 5xx, not 4xx).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'astro/zod';
import { defaultAlertingConfig } from '../../status/alerting.ts';
import { isDatabaseUnavailable } from '../db/db-errors.ts';
import { env } from '../env.ts';
import { contentStore, database, statusModel } from '../status-data/runtime.ts';
import { alertmanagerPayload, fromAlertmanager, fromGeneric, genericAlertPayload, type Delivery } from './alert.schemas.ts';
import { ensureAlertClock, wakeAlertClock } from './alert-clock.ts';
import { receiveDelivery } from './alert.service.ts';

const reply = (status: number, body: unknown, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra } });

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function firstIssue(error: z.ZodError): string {
  const i = error.issues[0]!;
  return `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`;
}

/** Answers POST /api/v1/alerts/alertmanager ('alertmanager') or /api/v1/alerts/webhook ('webhook'). */
export async function handleAlertPost(request: Request, kind: 'alertmanager' | 'webhook'): Promise<Response> {
  const token = env().ALERTS_TOKEN;
  if (!token) return reply(404, { error: 'Not found' });
  const m = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '');
  if (!m || !sameToken(m[1]!, token)) return reply(401, { error: 'Send Authorization: Bearer <ALERTS_TOKEN>' }, { 'WWW-Authenticate': 'Bearer realm="alerts"' });
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return reply(400, { error: 'body: must be JSON' });
  }
  let delivery: Delivery;
  if (kind === 'alertmanager') {
    const r = alertmanagerPayload.safeParse(body);
    if (!r.success) return reply(400, { error: firstIssue(r.error) });
    delivery = fromAlertmanager(r.data);
  } else {
    const r = genericAlertPayload.safeParse(body);
    if (!r.success) return reply(400, { error: firstIssue(r.error) });
    delivery = fromGeneric(r.data);
  }
  try {
    const db = await database();
    ensureAlertClock();
    const content = contentStore().current();
    const problem = content.problems.find((p) => p.file === 'alerting.yaml' || p.file === 'alerting.yml');
    const result = await receiveDelivery(db, {
      model: statusModel,
      config: content.snapshot.alerting ?? defaultAlertingConfig,
      configProblem: problem ? `${problem.file} has problems (${problem.field || 'file'}: ${problem.reason}); alerts are stored and nothing is published` : null,
    }, delivery, Date.now());
    wakeAlertClock();
    return reply(200, { ok: true, ...result });
  } catch (e) {
    const reason = isDatabaseUnavailable(e) ? 'the database is unavailable' : e instanceof Error ? e.message : String(e);
    console.error(`alerts: could not store a delivery: ${reason}`);
    return reply(503, { error: `Could not store the alert: ${reason}` }, { 'Retry-After': '10' });
  }
}
