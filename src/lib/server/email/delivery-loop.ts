// Sends the outbox: one batch call at a time per rate slot, stored batches first, 429 pauses every call.
import type { Db } from '../db/connection.ts';
import { isDatabaseUnavailable } from '../db/db-errors.ts';
import { onDbRecovered } from '../db/db-health.ts';
import { truncateWal } from '../db/wal-checkpoint.ts';
import { acquireBatchLock } from './batch-lock.ts';
import { batchStillDue, beginAttempt, dueStoredBatch, MAX_BATCH, prepareBatch, releaseAttempt, releaseRetries, settleBatch, type PreparedBatch } from './delivery.ts';
import { holdQueued } from './outbox.ts';
import { clearProviderFailure, recordProviderFailure } from './provider-health.ts';
import { failureCause, type BatchSender, type SendOutcome } from './resend-client.ts';
import { sendRate } from './send-rate.ts';
import { logBackgroundError } from '../log/background-error.ts';

/** The reason admin shows for emails held because no API key is set. */
export const NO_KEY_REASON = 'not sent: no RESEND_API_KEY';
/** No single wait is longer than this, so the heartbeat stays fresh (a 429 pause or an outage is waited out in steps). */
const MAX_NAP_MS = 5000;
/** The loop counts as alive while it beat within this long (a call in flight may take 30 s). */
const ALIVE_WITHIN_MS = 60_000;
/** While batches keep settling, the WAL (holding scrubbed link tokens) is emptied at most this often. */
const WAL_TRUNCATE_EVERY_MS = 2000;
/**
 * Once calls have kept failing with timeouts, 5xx or network errors for THROTTLED_AFTER_MS, one call starts per
 * PROBE_EVERY_MS (each batch still waits its own backoff, at most RETRYABLE_CAP_MS): a down provider is not
 * hammered, and the first call after it recovers is at most a few seconds away. Such a call gets no answer after
 * PROBE_TIMEOUT_MS rather than the usual 30 s, so a call hanging at the moment of recovery does not hold it up;
 * it is retried with its key like any timeout. The first answer releases every batch waiting out a backoff.
 */
const THROTTLED_AFTER_MS = 10_000;
const PROBE_EVERY_MS = 5000;
const PROBE_TIMEOUT_MS = 10_000;
/** While not failing, a success clears a failure recorded by another instance (or a previous run) this often. */
const HEALTH_CLEAR_EVERY_MS = 10_000;

export interface DeliveryLoopOptions {
  db: Db;
  /** null without RESEND_API_KEY: queued emails are marked "not sent" instead. */
  sender: BatchSender | null;
  from: string;
  /** Requests per second (RESEND_RATE_LIMIT). */
  ratePerSecond: number;
  pollMs?: number;
  batchSize?: number;
  now?: () => number;
  random?: () => number;
  log?: (line: string) => void;
  /** Told what Resend answered each call (metrics). */
  onOutcome?: (outcome: SendOutcome, emails: number) => void;
}

export interface DeliveryLoop {
  /**
   * Stops taking work (no new batch is prepared or called), lets calls in flight finish and their answers be stored
   * for up to `graceMs` (default 0), then aborts any still out (their batches stay stored with their keys and go out
   * again on the next start) and waits for them to settle. Resolves with how many calls had to be aborted.
   */
  stop(graceMs?: number): Promise<number>;
  /** Looks for work now instead of at the next poll. */
  wake(): void;
  /** Whether the loop is running and beat recently (for /readyz). */
  health(): { alive: boolean; lastBeatAt: number; paused: string | null };
}

/** Starts the loop; it runs until stopped, surviving any error (logged, then retried after a poll). */
export function startDeliveryLoop(o: DeliveryLoopOptions): DeliveryLoop {
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const log = o.log ?? ((line: string) => console.error(line));
  const pollMs = o.pollMs ?? 500;
  // Shared by every instance on PostgreSQL, so together they keep to RESEND_RATE_LIMIT.
  const rate = sendRate(o.db, o.ratePerSecond, now);
  // Each call in flight may hold a database connection (its batch lock): keep well under the pool's size.
  const maxInFlight = Math.min(8, Math.max(1, Math.ceil(o.ratePerSecond)));
  const inFlight = new Map<string, Promise<void>>();
  const abort = new AbortController();
  let pausedUntil = 0;
  let stopped = false;
  let exited = false;
  let wakeUp: (() => void) | null = null;
  let lastBeatAt = now();
  /** Why delivery waits (the database is unavailable), or null. */
  let paused: string | null = null;
  /** Since when calls fail with a provider error (timeouts, 5xx, network, 429), and since when without a 429. */
  let failingSince: number | null = null;
  let outageSince: number | null = null;
  let lastStartAt = 0;
  let lastOkStartedAt = 0;
  let healthClearedAt = 0;
  const throttled = (): boolean => outageSince !== null && now() - outageSince >= THROTTLED_AFTER_MS;

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      wakeUp = null;
      lastBeatAt = now();
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, MAX_NAP_MS));
    wakeUp = done;
  });
  const offRecovered = onDbRecovered(() => wakeUp?.());

  /** A settled batch's payload (its link tokens) was scrubbed, but the SQLite WAL may still hold the old pages. */
  let walOwed = false;
  let walTruncatedAt = 0;
  /**
   * Empties the WAL when idle, and while busy at most every WAL_TRUNCATE_EVERY_MS: a truncating checkpoint of a
   * large queue takes milliseconds of the event loop, too much to pay per batch at the rate limit.
   */
  async function forgetScrubbed(idle: boolean): Promise<void> {
    walOwed = true;
    if (!idle && now() - walTruncatedAt < WAL_TRUNCATE_EVERY_MS) return;
    walTruncatedAt = now();
    // A reader elsewhere (a backup) keeps it from completing: tried again later.
    walOwed = !(await truncateWal(o.db).catch(() => false));
  }

  /**
   * Records the answer, retrying until it is stored: the call went out, so sending it again would rely on the
   * provider's deduplication. The batch stays in flight here (and, on PostgreSQL, leased) meanwhile.
   */
  async function settle(batch: PreparedBatch, outcome: SendOutcome): Promise<void> {
    let said = false;
    for (let wait = 250; ; wait = Math.min(MAX_NAP_MS, wait * 2)) {
      try {
        await settleBatch(o.db, batch, outcome, now(), random);
        return;
      } catch (e) {
        // Past the shutdown's bound: the batch stays stored and is sent again, same key, on the next start.
        if (abort.signal.aborted) throw e;
        if (!said && !isDatabaseUnavailable(e)) logBackgroundError(`email: batch ${batch.id}: the answer could not be stored (retrying, never re-sending)`, e, log);
        said = true;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /**
   * Keeps the shared "delivery failing" state (admin dashboard) and this loop's throttle in step with the answer to
   * a call that started at `startedAt`. An answer releases the batches waiting out a timeout/5xx backoff. Best
   * effort: the database may be unavailable too, and then the next answer says it again.
   */
  async function noteHealth(outcome: SendOutcome, startedAt: number): Promise<void> {
    const t = now();
    if (outcome.ok || outcome.kind === 'rejected') {
      const wasFailing = failingSince !== null;
      if (startedAt >= lastOkStartedAt) lastOkStartedAt = startedAt;
      failingSince = null;
      outageSince = null;
      if (wasFailing || t - healthClearedAt >= HEALTH_CLEAR_EVERY_MS) {
        healthClearedAt = t;
        await clearProviderFailure(o.db, t).catch(() => {});
      }
      if (wasFailing) {
        const n = await releaseRetries(o.db, t).catch(() => 0);
        log(`email: Resend answers again; delivery resumed${n > 0 ? ` (${n} waiting batches due now)` : ''}`);
        wakeUp?.();
      }
      return;
    }
    // A call that started before the latest success says nothing new about the provider, nor one cut by stop().
    const cause = failureCause(outcome.error);
    if (cause === null || startedAt < lastOkStartedAt || stopped) return;
    failingSince ??= startedAt;
    if (cause !== '429') outageSince ??= startedAt;
    await recordProviderFailure(o.db, failingSince, outcome.error, t).catch(() => {});
  }

  async function deliver(sender: BatchSender, batch: PreparedBatch): Promise<void> {
    const startedAt = now();
    lastStartAt = startedAt;
    // While Resend keeps failing, a call is given up on sooner (see PROBE_TIMEOUT_MS).
    const probe = throttled() ? AbortSignal.timeout(PROBE_TIMEOUT_MS) : null;
    let outcome = await sender.send(batch.emails, batch.idempotencyKey, probe ? AbortSignal.any([abort.signal, probe]) : abort.signal);
    if (probe?.aborted && !abort.signal.aborted && !outcome.ok && outcome.kind === 'retryable') {
      outcome = { ok: false, kind: 'retryable', error: `no answer within ${PROBE_TIMEOUT_MS / 1000} s (Resend keeps failing: calls wait less)` };
    }
    o.onOutcome?.(outcome, batch.emails.length);
    if (!outcome.ok && outcome.kind === 'rate_limited') {
      pausedUntil = Math.max(pausedUntil, now() + outcome.retryAfterMs);
      // The other instances wait too; if the database cannot say so, this one still does.
      await rate.pause(outcome.retryAfterMs).catch(() => {});
    }
    if (!outcome.ok && !stopped) log(`email: batch ${batch.id} (${batch.emails.length} emails) ${outcome.kind}: ${outcome.error}`);
    await settle(batch, outcome);
    await noteHealth(outcome, startedAt);
    await forgetScrubbed(false);
  }

  /**
   * Waits out a 429 pause, reserves a start and waits for it; a start missed (a busy machine woke the loop late, or
   * the database answered too slowly to know the moment well enough) is left unused and another reserved. False
   * when stopped meanwhile.
   */
  async function untilSlot(): Promise<boolean> {
    while (!stopped) {
      for (let wait = pausedUntil - now(); wait > 0 && !stopped; wait = pausedUntil - now()) await sleep(wait);
      const slot = await rate.reserve();
      for (let wait = slot.to - now(); wait > 0 && !stopped; wait = slot.to - now()) await sleep(wait);
      if (!stopped && rate.start(slot)) return true;
    }
    return false;
  }

  async function step(sender: BatchSender): Promise<void> {
    if (inFlight.size >= maxInFlight) {
      // Woken as soon as one settles (its finally wakes the loop). A nap, not a wait on the calls: while an answer
      // cannot be stored (a full disk) its call stays in flight, and the loop must still beat and say so.
      return sleep(MAX_NAP_MS);
    }
    // Resend keeps failing: one call per PROBE_EVERY_MS until one is answered.
    if (throttled() && now() - lastStartAt < PROBE_EVERY_MS) return sleep(lastStartAt + PROBE_EVERY_MS - now());
    // Prepared while the previous call's slot runs out, so rendering never stretches the spacing.
    const t = now();
    const batch = (await dueStoredBatch(o.db, t, new Set(inFlight.keys()))) ?? (await prepareBatch(o.db, o.from, t, o.batchSize ?? MAX_BATCH));
    if (batch === 'skipped') return;
    if (batch === null) {
      if (walOwed) await forgetScrubbed(true);
      return sleep(pollMs);
    }
    // Another instance on the same PostgreSQL database may be sending this very batch: then leave it.
    const lock = await acquireBatchLock(o.db, batch.id);
    if (!lock) return;
    let handedOff = false;
    try {
      if (!(await batchStillDue(o.db, batch.id, now()))) return;
      const wasFirst = batch.firstAttemptAt === null;
      if (!(await beginAttempt(o.db, batch, now(), random))) {
        // Given up in time: the batch waits for a person to decide and its payload was scrubbed.
        walOwed = true;
        return;
      }
      // Stopped while waiting: the batch stays stored with its key and goes out on the next start (its lease
      // given back, since no call went out).
      if (!(await untilSlot())) {
        await releaseAttempt(o.db, batch, now(), wasFirst).catch(() => {}); // unreleased, the lease (PostgreSQL) runs out and the batch is due again anyway
        return;
      }
      const p = deliver(sender, batch)
        .catch((e: unknown) => logBackgroundError(`email: batch ${batch.id}`, e, log))
        .finally(() => {
          inFlight.delete(batch.id);
          void lock.release();
          wakeUp?.();
        });
      handedOff = true;
      inFlight.set(batch.id, p);
    } finally {
      if (!handedOff) await lock.release();
    }
  }

  const running = (async () => {
    let outageWait = pollMs;
    while (!stopped) {
      lastBeatAt = now();
      try {
        if (o.sender) await step(o.sender);
        else {
          await holdQueued(o.db, NO_KEY_REASON, now());
          await sleep(pollMs);
        }
        if (paused) log('email: the database answers again; delivery resumed');
        paused = null;
        outageWait = pollMs;
      } catch (e) {
        if (stopped) break;
        if (isDatabaseUnavailable(e)) {
          // Said once per outage; woken early when the database recovers.
          if (!paused) log(`email: database unavailable (${e instanceof Error ? e.message : String(e)}); delivery paused, nothing is lost`);
          paused = e instanceof Error ? e.message : String(e);
          await sleep(outageWait);
          outageWait = Math.min(MAX_NAP_MS, outageWait * 2);
        } else {
          logBackgroundError('email: delivery', e, log);
          await sleep(pollMs);
        }
      }
    }
  })().finally(() => { exited = true; });

  return {
    async stop(graceMs = 0) {
      stopped = true;
      offRecovered();
      wakeUp?.();
      // Calls already out are let finish (an answer stored means nothing to resend or to decide), within the bound.
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); });
      await Promise.race([running.then(() => Promise.allSettled(inFlight.values())), bound]);
      clearTimeout(timer);
      const aborted = inFlight.size;
      abort.abort();
      wakeUp?.();
      await running;
      await Promise.allSettled(inFlight.values());
      return aborted;
    },
    wake() {
      wakeUp?.();
    },
    health: () => ({ alive: !exited && now() - lastBeatAt < ALIVE_WITHIN_MS, lastBeatAt, paused }),
  };
}
