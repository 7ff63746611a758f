// RESEND_RATE_LIMIT as one budget: in-process on SQLite (one server), a shared row on PostgreSQL, where every
// instance reserves its call's start from the same row, so together they keep to the limit.
import { sql } from 'kysely';
import { onPostgres, type Db } from '../db/connection.ts';

/**
 * Added to the spacing between call starts: the SDK's serialising and the network shift when a call reaches
 * Resend by a few milliseconds, and two calls landing in one rate window cost a 429 and a retry-after pause.
 */
export const SPACING_MARGIN_MS = 20;
/**
 * On PostgreSQL a call starts at most this long after its reserved moment beyond the slack its reservation paid
 * for, or its slot is left unused and another one reserved: a late start could land within a second of the call
 * `rate` slots later. Half the margin, so consecutive calls still start at least the spacing less that apart.
 */
export const LATE_MS = SPACING_MARGIN_MS / 2;

/**
 * A reserved start, on this process's clock: the moment lies between `from` and `to` (equal when reserved here).
 * `slack` is the uncertainty and lateness the reservation paid for (it reserved that much more than the spacing).
 */
export interface SendSlot {
  from: number;
  to: number;
  slack: number;
}

export interface SendRate {
  /** Reserves the next start; the caller waits until `to`, then asks `start`. */
  reserve(): Promise<SendSlot>;
  /**
   * Whether the call may start now in this slot; false leaves the slot unused (which only lowers the rate) and the
   * caller reserves again.
   */
  start(slot: SendSlot): boolean;
  /** Holds every caller back for `ms` (a 429's retry-after). */
  pause(ms: number): Promise<void>;
}

/**
 * Milliseconds between call starts for `ratePerSecond`. Resend counts calls in a sliding second, so what protects a
 * window is the margin summed over its calls: 40 ms per window (20 ms a call at 2/s, 2 ms at 20/s), rather than
 * 20 ms a call, which at 20/s would cost 40 % of the throughput.
 */
export function spacingMs(ratePerSecond: number): number {
  return Math.ceil(1000 / ratePerSecond) + Math.ceil((SPACING_MARGIN_MS * 2) / Math.max(2, ratePerSecond));
}

/** The limiter for this database: shared through email_send_rate on PostgreSQL, in this process on SQLite. */
export function sendRate(db: Db, ratePerSecond: number, now: () => number): SendRate {
  return onPostgres(db) ? sharedSendRate(db, ratePerSecond, now) : localSendRate(ratePerSecond, now);
}

/**
 * One process's budget (a SQLite file has one server process). Starts keep to the schedule when a timer fires up to
 * LATE_MS after its moment (the margin covers that, so a millisecond lost per wake-up does not add up over a thousand
 * calls); a later start moves the schedule, so the next is a full spacing after it.
 */
export function localSendRate(ratePerSecond: number, now: () => number): SendRate {
  const interval = spacingMs(ratePerSecond);
  let next = 0;
  return {
    reserve: async () => {
      const at = Math.max(next, now());
      next = at + interval;
      return { from: at, to: at, slack: 0 };
    },
    start: (slot) => {
      const t = now();
      if (t - slot.to > LATE_MS) next = Math.max(next, t + interval);
      return true;
    },
    pause: async (ms) => {
      next = Math.max(next, now() + ms);
    },
  };
}

/** The most a reservation widens itself for a slow database or a late wake-up; beyond that, slots are given up. */
const MAX_SLACK_MS = 1000;

/**
 * Every instance's budget in one row, moved by single atomic updates (the row lock orders them). The database's
 * clock decides and only a wait comes back, so clocks that differ between hosts do not matter; the answer's round
 * trip is why the moment is known only to lie between the query's start and its answer, and a busy process wakes
 * after it. Each reservation is widened by both (estimated from the previous ones), so the next instance's slot
 * starts a full spacing after the latest moment this one may start at; a start later than that is given up.
 */
export function sharedSendRate(db: Db, ratePerSecond: number, now: () => number): SendRate {
  const interval = spacingMs(ratePerSecond);
  let roundTrip = 0;
  let lateness = 0;
  return {
    reserve: async () => {
      const slack = Math.min(MAX_SLACK_MS, Math.ceil(2 * roundTrip + 2 * lateness) + 2);
      const sent = now();
      const r = await sql<{ wait_ms: number }>`
        with c as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as t)
        update email_send_rate set next_at = greatest(email_send_rate.next_at, c.t) + ${interval + slack}::bigint
        from c where email_send_rate.id = 1
        returning (email_send_rate.next_at - ${interval + slack}::bigint - c.t)::float8 as wait_ms`.execute(db);
      const answered = now();
      roundTrip = answered - sent;
      const row = r.rows[0];
      if (!row) throw new Error('email_send_rate has no row: run the migrations');
      const wait = Number(row.wait_ms);
      return { from: sent + wait, to: answered + wait, slack };
    },
    start: (slot) => {
      const t = now();
      // Remembered with a slow decay, so one late wake-up widens the next few reservations.
      lateness = Math.max(Math.max(0, t - slot.to), lateness * 0.9);
      return t >= slot.to && t - slot.from <= slot.slack + LATE_MS;
    },
    pause: async (ms) => {
      await sql`
        update email_send_rate
        set next_at = greatest(next_at, (extract(epoch from clock_timestamp()) * 1000)::bigint + ${Math.ceil(ms)}::bigint)
        where id = 1`.execute(db);
    },
  };
}
