// /healthz and /readyz, answered by the server script before anything else (no Astro, no middleware), so they
// stay fast and truthful whatever else is failing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContentHealth } from '../cache/cache-bridge.ts';
import type { Db } from '../db/connection.ts';
import { dbHealth } from '../db/db-health.ts';
import { unsentSummary } from '../email/outbox.ts';
import { liveness, readiness, type HealthAnswer, type ReadinessFacts } from './readiness.ts';

/** The outbox is read at most this often, and given this long to answer (a hung database must not hang /readyz). */
const OUTBOX_READ_EVERY_MS = 2000;
const OUTBOX_READ_TIMEOUT_MS = 1000;

export interface HealthRouteOptions {
  startedAt: number;
  db: Db;
  content: () => ContentHealth | null;
  worker: () => ReadinessFacts['worker'];
  now?: () => number;
}

export interface HealthRoutes {
  /** Answers /healthz and /readyz; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createHealthRoutes(o: HealthRouteOptions): HealthRoutes {
  const now = o.now ?? Date.now;
  let outbox: ReadinessFacts['outbox'] = null;
  let reading: Promise<void> | null = null;

  const readOutbox = (): Promise<void> => {
    if (reading) return reading;
    if (outbox && now() - outbox.readAt < OUTBOX_READ_EVERY_MS) return Promise.resolve();
    if (!dbHealth().ready) return Promise.resolve();
    const read = unsentSummary(o.db).then((s) => { outbox = { ...s, readAt: now() }; }, () => {});
    const timeout = new Promise<void>((r) => setTimeout(r, OUTBOX_READ_TIMEOUT_MS).unref());
    reading = Promise.race([read, timeout]).finally(() => { reading = null; });
    return reading;
  };

  const send = (req: IncomingMessage, res: ServerResponse, a: HealthAnswer, cors: boolean): void => {
    const body = JSON.stringify(a.body);
    res.writeHead(a.status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
      // A static mirror may ask the live site whether it is up; nothing more is shared across origins.
      ...(cors ? { 'access-control-allow-origin': '*' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return {
    handle(req, res) {
      const [pathname, query = ''] = (req.url ?? '/').split('?', 2) as [string, string?];
      if (pathname === '/healthz') {
        send(req, res, liveness(now(), o.startedAt), true);
        return true;
      }
      if (pathname !== '/readyz') return false;
      const strict = new URLSearchParams(query).has('strict');
      void readOutbox().then(() => {
        send(req, res, readiness({ now: now(), startedAt: o.startedAt, db: dbHealth(), content: o.content(), worker: o.worker(), outbox }, strict), false);
      });
      return true;
    },
  };
}
