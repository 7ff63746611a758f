// The email worker of the server process: delivers the outbox and turns content changes into notifications.
import path from 'node:path';
import { openContentStore } from '../content/content-store.ts';
import { openDb, type Db } from '../db/connection.ts';
import { isDatabaseUnavailable } from '../db/db-errors.ts';
import { onDbRecovered } from '../db/db-health.ts';
import type { Env } from '../env.ts';
import { loadAdminRecords } from '../status-data/admin-records.ts';
import { mergeModel } from '../status-data/status-model.ts';
import { NO_KEY_REASON, startDeliveryLoop, type DeliveryLoop, type DeliveryLoopOptions } from './delivery-loop.ts';
import { notifyFromContent } from './notifications.ts';
import { resendSender, type BatchSender } from './resend-client.ts';
import { logBackgroundError } from '../log/background-error.ts';

/** How often the clock is checked for maintenance that started (content changes are seen at once). */
const SCAN_EVERY_MS = 30_000;
/** A call with no answer after this long is retried with the same Idempotency-Key. */
const CALL_TIMEOUT_MS = 30_000;

export interface EmailWorkerOptions {
  db?: Db;
  /** Replaces the Resend sender (tests); null forces the no-key behaviour. */
  sender?: BatchSender | null;
  /** false: do not watch CONTENT_DIR (tests and the benchmark enqueue directly). */
  watchContent?: boolean;
  pollMs?: number;
  now?: () => number;
  log?: (line: string) => void;
  /** Told what Resend answered each batch call (metrics). */
  onOutcome?: DeliveryLoopOptions['onOutcome'];
}

export interface EmailWorker {
  /** Stops; calls in flight get up to `graceMs` to finish and be stored (see DeliveryLoop.stop). */
  stop(graceMs?: number): Promise<number>;
  /** Runs a content scan now (tests). */
  scan(): Promise<void>;
  /** Whether delivery is running (for /readyz). */
  health(): ReturnType<DeliveryLoop['health']>;
}

/** Watches CONTENT_DIR and, every 30 s, the clock; each pass enqueues what has not been notified yet. */
function watchContent(db: Db, settings: Env, now: () => number, log: (line: string) => void): { stop(): void; scan(): Promise<void> } {
  const store = openContentStore(path.resolve(settings.CONTENT_DIR), { log: () => {} });
  let running: Promise<void> | null = null;
  let again = false;
  let unavailable = false;
  const pass = async (): Promise<void> => {
    do {
      again = false;
      const state = store.current();
      const model = mergeModel(state.snapshot, await loadAdminRecords(db), state.problems);
      await notifyFromContent(db, model, settings.SITE_URL, now());
    } while (again);
  };
  const scan = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .then(() => { unavailable = false; })
      .catch((e: unknown) => {
        // An outage is said once; the pass runs again when the database answers, so no news is skipped.
        if (isDatabaseUnavailable(e) && unavailable) return;
        unavailable = isDatabaseUnavailable(e);
        logBackgroundError(`email: content notifications${unavailable ? ' (retried when the database answers)' : ''}`, e, log);
      })
      .finally(() => { running = null; });
    return running;
  };
  const off = store.onChange(() => void scan());
  const offRecovered = onDbRecovered(() => void scan());
  const timer = setInterval(() => void scan(), SCAN_EVERY_MS);
  timer.unref();
  void scan();
  return {
    stop() {
      off();
      offRecovered();
      clearInterval(timer);
      store.close();
    },
    scan,
  };
}

/** Starts the worker after migrations. Without RESEND_API_KEY it logs one warning and keeps emails in the outbox, unsent. */
export function startEmailWorker(settings: Env, options: EmailWorkerOptions = {}): EmailWorker {
  const log = options.log ?? ((line: string) => console.error(line));
  const now = options.now ?? Date.now;
  const db = options.db ?? openDb(settings.DATABASE_URL);
  const key = settings.RESEND_API_KEY;
  const sender = options.sender !== undefined ? options.sender : key ? resendSender(key, CALL_TIMEOUT_MS) : null;
  if (!sender) console.warn(`Email: RESEND_API_KEY is not set; emails stay in the outbox as "${NO_KEY_REASON}" (see docs/email.md).`);
  const loop: DeliveryLoop = startDeliveryLoop({
    db, sender, from: settings.EMAIL_FROM ?? 'status@example.com', ratePerSecond: settings.RESEND_RATE_LIMIT,
    pollMs: options.pollMs, now, log, onOutcome: options.onOutcome,
  });
  const content = options.watchContent === false ? null : watchContent(db, settings, now, log);
  return {
    async stop(graceMs) {
      content?.stop();
      const aborted = await loop.stop(graceMs);
      if (!options.db) await db.destroy();
      return aborted;
    },
    scan: async () => {
      await content?.scan();
      loop.wake();
    },
    health: () => loop.health(),
  };
}
