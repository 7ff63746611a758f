import { describe, expect, it } from 'vitest';
import type { DbHealth } from '../../../../src/lib/server/db/db-health.ts';
import { liveness, readiness, type ReadinessFacts } from '../../../../src/lib/server/health/readiness.ts';

const now = Date.parse('2026-12-01T03:20:00Z');
const up: DbHealth = { supervised: true, ready: true, up: true, downSince: null, reason: null, lastWriteAt: now - 1000 };
const content = { loaded: true, components: 13, incidents: 11, problems: 0, unavailable: null };
const worker = { alive: true, lastBeatAt: now - 200, paused: null };
const base: ReadinessFacts = { now, startedAt: now - 3_600_000, db: up, content, worker, outbox: { count: 2, oldestAt: now - 45_000, readAt: now - 500 } };

type Body = { ready: boolean; degraded: boolean; checks: Record<string, Record<string, unknown>> };
const body = (f: ReadinessFacts, strict = false): Body => readiness(f, strict).body as Body;

describe('liveness', () => {
  it('answers 200 with the uptime', () => {
    expect(liveness(now, now - 90_000)).toEqual({ status: 200, body: { status: 'ok', service: 'kaizen-status', uptime_seconds: 90 } });
  });
});

describe('readiness', () => {
  it('is ready and not degraded when everything answers, with the oldest unsent email age', () => {
    const r = readiness(base, false);
    expect(r.status).toBe(200);
    expect(body(base)).toMatchObject({ ready: true, degraded: false });
    expect(body(base).checks.email_outbox).toMatchObject({ ok: true, unsent: 2, oldest_unsent_age_seconds: 45 });
  });

  it('stays ready (it serves the last good page) but degraded while the database is down; strict says 503', () => {
    const down: ReadinessFacts = { ...base, db: { ...up, up: false, downSince: now - 30_000, reason: 'connection refused' }, outbox: { ...base.outbox!, readAt: now - 30_000 } };
    expect(readiness(down, false).status).toBe(200);
    expect(body(down)).toMatchObject({ ready: true, degraded: true });
    expect(body(down).checks.database).toEqual({ ok: false, migrated: true, unavailable_since: '2026-12-01T03:19:30.000Z', reason: 'connection refused' });
    // The last figure read is still given, marked as old.
    expect(body(down).checks.email_outbox).toMatchObject({ ok: false, unsent: 2, read_at: '2026-12-01T03:19:30.000Z' });
    expect(readiness(down, true).status).toBe(503);
  });

  it('is not ready before any content was loaded, or with only the defaults', () => {
    expect(readiness({ ...base, content: null }, false).status).toBe(503);
    expect(readiness({ ...base, content: { ...content, loaded: false } }, false).status).toBe(503);
  });

  it('reports a vanished content folder, a stopped worker and a paused one', () => {
    const f: ReadinessFacts = { ...base, content: { ...content, unavailable: { since: now - 5000, reason: '/srv/content does not exist' } }, worker: { alive: false, lastBeatAt: now - 120_000, paused: null } };
    expect(readiness(f, false).status).toBe(200);
    expect(body(f).checks.content).toMatchObject({ ok: false, unavailable_since: '2026-12-01T03:19:55.000Z', reason: 'content folder missing or empty: serving the last good copy' });
    // The folder's path is for the log and admin, not for a public endpoint.
    expect(JSON.stringify(body(f))).not.toContain('/srv/content');
    expect(body(f).checks.email_worker).toMatchObject({ ok: false, running: false });
    expect(readiness(f, true).status).toBe(503);
    const paused = { ...base, worker: { ...worker, paused: 'Database unavailable: the disk is full' } };
    expect(body(paused).checks.email_worker).toMatchObject({ ok: false, running: true, paused: 'Database unavailable: the disk is full' });
  });

  it('says the outbox is unknown before it could ever be read', () => {
    expect(body({ ...base, outbox: null }).checks.email_outbox).toEqual({ ok: false, unsent: null, oldest_unsent_age_seconds: null, read_at: null });
  });
});
