// The hold-down clock: resolves all-resolved groups once their resolve_due_at passes. The due times are rows,
// so a restart loses nothing; the clock starts with the first request this process serves.
import { isDatabaseUnavailable } from '../db/db-errors.ts';
import { env } from '../env.ts';
import { runsBackgroundJobs } from '../cluster/cluster-role.ts';
import { database, statusModel } from '../status-data/runtime.ts';
import { resolveDueGroups } from './alert.service.ts';

const MAX_WAIT_MS = 60_000;
let timer: NodeJS.Timeout | null = null;
let started = false;
let lastProblem = '';

function schedule(ms: number): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void pass(), Math.max(0, Math.min(ms, MAX_WAIT_MS)));
  timer.unref();
}

async function pass(): Promise<void> {
  try {
    const next = await resolveDueGroups(await database(), statusModel, Date.now());
    lastProblem = '';
    schedule(next === null ? MAX_WAIT_MS : next - Date.now());
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message !== lastProblem && !isDatabaseUnavailable(e)) console.error(`alerts: ${message}`);
    lastProblem = message;
    schedule(5000);
  }
}

/** Starts the clock once per process (idempotent), when alerts are on (ALERTS_TOKEN), in the background worker. */
export function ensureAlertClock(): void {
  // In a cluster, only the background worker keeps the clock (decision record 022).
  if (started || !env().ALERTS_TOKEN || !runsBackgroundJobs()) return;
  started = true;
  schedule(0);
}

/** Looks at the due times again now (after a delivery set one). */
export function wakeAlertClock(): void {
  if (started) schedule(0);
}
