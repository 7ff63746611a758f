// Runs queued jobs one at a time with a handler per kind: exponential backoff with jitter, a lock per job so two
// instances never run one job at once, and jobs left "running" by a dead process taken up again. Never throws.
import type { Db } from '../db/connection.ts';
import { acquireJobLock } from './job-lock.ts';
import { candidateJobs, claimJob, completeJob, failJob, type Job } from './job.repository.ts';
import { logBackgroundError } from '../log/background-error.ts';

/** Runs one job; resolves with a one-line result for admin, throws (with a message for admin) to retry. */
export type JobHandler = (payload: unknown, context: { attempt: number; signal: AbortSignal }) => Promise<string>;

export interface JobWorkerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  pollMs?: number;
  /** Attempts before a job is marked failed (enqueueing it again starts over). */
  maxAttempts?: number;
  now?: () => number;
  random?: () => number;
  /** Replaces jobBackoffMs (a worker with its own retry pace). */
  backoffMs?: (attempt: number, random: () => number) => number;
  log?: (line: string) => void;
}

export interface JobWorker {
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  /** Stops taking work, aborts the job in flight and waits for it to settle. */
  stop(): Promise<void>;
}

const BACKOFF_BASE_MS = 2000;
const BACKOFF_CAP_MS = 10 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 12;

/** 2 s, 4 s, 8 s … capped at 10 minutes, each between half and all of that. */
export function jobBackoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Starts the worker; it runs until stopped. */
export function startJobWorker(o: JobWorkerOptions): JobWorker {
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const log = o.log ?? ((line: string) => console.error(line));
  const pollMs = o.pollMs ?? 1000;
  const maxAttempts = o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const kinds = Object.keys(o.handlers);
  const abort = new AbortController();
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let lastProblem = '';

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      wakeUp = null;
      resolve();
    };
    const timer = setTimeout(done, ms);
    wakeUp = done;
  });

  async function run(job: Job): Promise<void> {
    const started = now();
    const attempt = job.attempts + 1;
    try {
      const result = await o.handlers[job.kind]!(job.payload, { attempt, signal: abort.signal });
      await completeJob(o.db, job.id, started, result, now());
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const retryAt = attempt >= maxAttempts ? null : now() + (o.backoffMs ?? jobBackoffMs)(attempt, random);
      logBackgroundError(`job ${job.key}: attempt ${attempt} failed${retryAt === null ? ' (giving up)' : ''}`, e, log);
      await failJob(o.db, job.id, message, attempt, retryAt, now());
    }
  }

  /** Runs one due job; false when there was none. */
  async function step(): Promise<boolean> {
    for (const job of await candidateJobs(o.db, now(), kinds)) {
      const lock = await acquireJobLock(o.db, job.id);
      if (!lock) continue;
      try {
        // Whoever runs a job holds its lock, so a "running" job whose lock was free was left by a dead process.
        if (!(await claimJob(o.db, job, now()))) continue;
        await run(job);
        return true;
      } finally {
        await lock.release();
      }
    }
    return false;
  }

  const running = (async () => {
    while (!stopped) {
      try {
        const worked = await step();
        lastProblem = '';
        if (!worked) await sleep(pollMs);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!stopped && message !== lastProblem) logBackgroundError('jobs (retrying)', e, log);
        lastProblem = message;
        await sleep(pollMs);
      }
    }
  })();

  return {
    wake: () => wakeUp?.(),
    async stop() {
      stopped = true;
      abort.abort();
      wakeUp?.();
      await running;
    },
  };
}
