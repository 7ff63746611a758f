// Rings the runbook's clock: a pass when a reminder is due (timed from the incidents), after every change of the
// data, and at least once a minute; each pass queues what is due and not sent yet.
import type { Db } from '../db/connection.ts';
import { isDatabaseUnavailable } from '../db/db-errors.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { sendDueReminders } from './reminder.service.ts';
import { logBackgroundError } from '../log/background-error.ts';

/** The longest the loop sleeps: a safety net for a missed change. */
const MAX_WAIT_MS = 60_000;

export interface ReminderLoopOptions {
  db: Db;
  /** The current read model, or null while the app has not loaded it. */
  model: () => Promise<StatusModel> | null;
  /** Subscribes to changes of public data (an update posted moves the next due time). */
  onChange: (listener: () => void) => (() => void) | null;
  siteUrl: string | undefined;
  now?: () => number;
  log?: (line: string) => void;
}

export interface ReminderLoop {
  stop(): void;
  /** Runs a pass now (tests, and after a change). */
  pass(): Promise<void>;
}

export function startReminderLoop(o: ReminderLoopOptions): ReminderLoop {
  const now = o.now ?? Date.now;
  const log = o.log ?? ((line: string) => console.error(line));
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let off: (() => void) | null = null;
  let lastProblem = '';

  const schedule = (ms: number): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void pass(), Math.max(0, Math.min(ms, MAX_WAIT_MS)));
    timer.unref();
  };

  const once = async (): Promise<void> => {
    off ??= o.onChange(() => void pass());
    try {
      const model = await o.model();
      if (!model) return schedule(1000);
      const r = await sendDueReminders(o.db, model, o.siteUrl, now());
      if (r.sent > 0) log(`reminders: ${r.sent} queued for the admins`);
      lastProblem = '';
      schedule(r.nextAt === null ? MAX_WAIT_MS : r.nextAt - now());
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // An outage is said once; the next pass after it sends what fell due meanwhile.
      if (message !== lastProblem && !(isDatabaseUnavailable(e) && lastProblem !== '')) logBackgroundError('reminders', e, log);
      lastProblem = message;
      schedule(5000);
    }
  };

  const pass = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await once();
      } while (again && !stopped);
    })().finally(() => { running = null; });
    return running;
  };

  schedule(0);
  return {
    stop() {
      stopped = true;
      off?.();
      if (timer) clearTimeout(timer);
    },
    pass,
  };
}
