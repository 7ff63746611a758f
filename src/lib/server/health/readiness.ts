// What /healthz and /readyz answer, from facts gathered elsewhere: pure, so the rules are tested directly.
// Decision record 006: an instance that lost its database still serves the last good page, so it stays "ready"
// (200) for load balancers unless it cannot serve at all; ?strict answers 503 on any failing check.
import type { ContentHealth } from '../cache/cache-bridge.ts';
import type { DbHealth } from '../db/db-health.ts';

export interface ReadinessFacts {
  now: number;
  startedAt: number;
  db: Readonly<DbHealth>;
  /** null before the Astro bundle has loaded the content. */
  content: ContentHealth | null;
  /** null when no email worker runs in this process. */
  worker: { alive: boolean; lastBeatAt: number; paused: string | null } | null;
  /** The outbox as last read: null when it could not be read yet. */
  outbox: { count: number; oldestAt: number | null; readAt: number } | null;
}

export interface HealthAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** An outbox figure older than this means the outbox could not be read lately. */
export const OUTBOX_FRESH_MS = 10_000;

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const seconds = (ms: number): number => Math.round(ms / 1000);

/** /healthz: the process is alive and answering. */
export function liveness(now: number, startedAt: number): HealthAnswer {
  return { status: 200, body: { status: 'ok', service: 'kaizen-status', uptime_seconds: seconds(now - startedAt) } };
}

/** /readyz: each dependency's state; 503 only when public pages cannot be served, or on any failure with `strict`. */
export function readiness(f: ReadinessFacts, strict: boolean): HealthAnswer {
  const database = {
    ok: f.db.ready && f.db.up,
    migrated: f.db.ready,
    unavailable_since: iso(f.db.downSince),
    reason: f.db.up ? null : f.db.reason,
  };
  const content = f.content === null
    ? { ok: false, loaded: false, components: 0, incidents: 0, problems: 0, unavailable_since: null, reason: 'not loaded yet' }
    : {
        ok: f.content.loaded && f.content.unavailable === null,
        loaded: f.content.loaded,
        components: f.content.components,
        incidents: f.content.incidents,
        problems: f.content.problems,
        unavailable_since: iso(f.content.unavailable?.since ?? null),
        // Public: say what, never the folder's path.
        reason: f.content.unavailable ? 'content folder missing or empty: serving the last good copy' : f.content.loaded ? null : 'site.yaml missing: serving defaults',
      };
  const worker = f.worker === null
    ? { ok: true, running: false }
    : { ok: f.worker.alive && f.worker.paused === null, running: f.worker.alive, last_beat: iso(f.worker.lastBeatAt), paused: f.worker.paused };
  const outbox = f.outbox === null
    ? { ok: false, unsent: null, oldest_unsent_age_seconds: null, read_at: null }
    : {
        ok: f.now - f.outbox.readAt < OUTBOX_FRESH_MS,
        unsent: f.outbox.count,
        oldest_unsent_age_seconds: f.outbox.oldestAt === null ? null : seconds(f.now - f.outbox.oldestAt),
        read_at: iso(f.outbox.readAt),
      };
  const checks = { database, content, email_worker: worker, email_outbox: outbox };
  const allOk = Object.values(checks).every((c) => c.ok);
  // Serving needs content (or a last good copy of it); everything else only degrades the site.
  const canServe = f.content !== null && f.content.loaded;
  const ready = strict ? allOk : canServe;
  return {
    status: ready ? 200 : 503,
    body: { ready, degraded: !allOk, strict, uptime_seconds: seconds(f.now - f.startedAt), checks },
  };
}
