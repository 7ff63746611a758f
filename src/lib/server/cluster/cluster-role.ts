// What this process is in a WEB_CONCURRENCY > 1 cluster (decision record 022): the supervising primary forks
// workers; exactly one of them (started with BACKGROUND_FLAG) also runs the background jobs.
import cluster from 'node:cluster';

/** The argument the primary gives the one worker that runs email, channels, reminders, the mirror and alert clock. */
export const BACKGROUND_FLAG = '--kaizen-background-jobs';

/** True in a worker forked by the cluster primary. */
export function inCluster(): boolean {
  return cluster.isWorker;
}

/** True unless this process is a cluster worker other than the background one (a single process runs them all). */
export function runsBackgroundJobs(): boolean {
  return !cluster.isWorker || process.argv.includes(BACKGROUND_FLAG);
}

/** The cluster worker's number (1, 2, …; a replacement gets a new one), or null outside a cluster. */
export function workerId(): number | null {
  return cluster.worker?.id ?? null;
}
