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
 * A call starts at most this long after its reserved moment, or its slot is left unused and another one reserved:
 * a late start could land within a second of the call `rate` slots later. Half the margin, so the next call and
 * the `rate` calls after any call still start apart by their spacing, less half the margin.
 */
export const LATE_MS = SPACING_MARGIN_MS / 2;

/** A reserved start: the moment lies between `from` and `to` on this process's clock (equal when reserved here). */
export interface SendSlot {
  from: number;
  to: number;
}

export interface SendRate {
  /** Reserves the next start; the caller waits until `to` and, if it is then past `from + LATE_MS`, reserves again. */
  reserve(): Promise<SendSlot>;
  /** Holds every caller back for `ms` (a 429's retry-after). */
  pause(ms: number): Promise<void>;
}

/** Milliseconds between call starts for `ratePerSecond`. */
export function spacingMs(ratePerSecond: number): number {
  return Math.ceil(1000 / ratePerSecond) + SPACING_MARGIN_MS;
}

/** The limiter for this database: shared through email_send_rate on PostgreSQL, in this process on SQLite. */
export function sendRate(db: Db, ratePerSecond: number, now: () => number): SendRate {
  return onPostgres(db) ? sharedSendRate(db, ratePerSecond, now) : localSendRate(ratePerSecond, now);
}

/** One process's budget (a SQLite file has one server process). */
export function localSendRate(ratePerSecond: number, now: () => number): SendRate {
  const interval = spacingMs(ratePerSecond);
  let next = 0;
  return {
    reserve: async () => {
      const at = Math.max(next, now());
      next = at + interval;
      return { from: at, to: at };
    },
    pause: async (ms) => {
      next = Math.max(next, now() + ms);
    },
  };
}

/**
 * Every instance's budget in one row, moved by single atomic updates (the row lock orders them). The database's
 * clock decides, and only a duration comes back, so clocks that differ between hosts do not matter; the reply's
 * round trip is why a slot is known only to lie between the query's start and its answer.
 */
export function sharedSendRate(db: Db, ratePerSecond: number, now: () => number): SendRate {
  const interval = spacingMs(ratePerSecond);
  return {
    reserve: async () => {
      const sent = now();
      const r = await sql<{ wait_ms: number }>`
        with c as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as t)
        update email_send_rate set next_at = greatest(email_send_rate.next_at, c.t) + ${interval}::bigint
        from c where email_send_rate.id = 1
        returning (email_send_rate.next_at - ${interval}::bigint - c.t)::float8 as wait_ms`.execute(db);
      const answered = now();
      const row = r.rows[0];
      if (!row) throw new Error('email_send_rate has no row: run the migrations');
      const wait = Number(row.wait_ms);
      return { from: sent + wait, to: answered + wait };
    },
    pause: async (ms) => {
      await sql`
        update email_send_rate
        set next_at = greatest(next_at, (extract(epoch from clock_timestamp()) * 1000)::bigint + ${Math.ceil(ms)}::bigint)
        where id = 1`.execute(db);
    },
  };
}
