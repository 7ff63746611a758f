// The job table: enqueue (coalescing by key), claim, settle, list. Plain functions taking the connection first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { JobTable } from '../db/schema.ts';
import { newId } from '../ids.ts';

export const jobStates = ['queued', 'running', 'done', 'failed'] as const;
export type JobState = (typeof jobStates)[number];

export interface Job {
  id: string;
  kind: string;
  key: string;
  payload: unknown;
  state: JobState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  lastResult: string | null;
  requestedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The row's updated_at as stored: claims are conditional on it. */
  updatedStamp: string;
}

export interface NewJob {
  kind: string;
  key: string;
  payload: unknown;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (v: string | null): number | null => (v === null ? null : Date.parse(v));

/** A stored row as a job. */
export function jobRowToJob(r: JobTable): Job {
  return {
    id: r.id, kind: r.kind, key: r.dedupe_key, payload: JSON.parse(r.payload) as unknown, state: r.state as JobState,
    attempts: r.attempts, nextAttemptAt: Date.parse(r.next_attempt_at), lastError: r.last_error, lastResult: r.last_result,
    requestedAt: Date.parse(r.requested_at), startedAt: ms(r.started_at), finishedAt: ms(r.finished_at),
    updatedStamp: r.updated_at,
  };
}

/**
 * Asks for the job. A new key is queued; a done or failed one is queued again from attempt 0; a queued one keeps
 * its place and backoff (nothing is added) unless `now` is set, which makes it due at once; a running one runs
 * again after the current run, which may have started before the reason for asking.
 */
export async function enqueueJob(db: Db, job: NewJob, at: number, options: { now?: boolean } = {}): Promise<void> {
  const stamp = iso(at);
  const due = options.now ? sql<string>`${stamp}` : sql<string>`case when job.state in ('done', 'failed') then ${stamp} else job.next_attempt_at end`;
  await db
    .insertInto('job')
    .values({
      id: newId(), kind: job.kind, dedupe_key: job.key, payload: JSON.stringify(job.payload), state: 'queued', attempts: 0,
      next_attempt_at: stamp, last_error: null, last_result: null, requested_at: stamp, started_at: null, finished_at: null,
      created_at: stamp, updated_at: stamp,
    })
    .onConflict((oc) => oc.column('dedupe_key').doUpdateSet({
      payload: (eb) => eb.ref('excluded.payload'),
      requested_at: stamp,
      updated_at: stamp,
      state: sql<string>`case when job.state = 'running' then 'running' else 'queued' end`,
      attempts: sql<number>`case when job.state in ('done', 'failed') then 0 else job.attempts end`,
      next_attempt_at: due,
    }))
    .execute();
}

/** Jobs that may be run now: queued and due, or marked running (the worker checks whether anyone still runs them). */
export async function candidateJobs(db: Db, at: number, kinds: readonly string[], limit = 10): Promise<Job[]> {
  if (kinds.length === 0) return [];
  const rows = await db.selectFrom('job').selectAll()
    .where('kind', 'in', [...kinds])
    .where((eb) => eb.or([
      eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', iso(at))]),
      eb('state', '=', 'running'),
    ]))
    .orderBy('next_attempt_at').limit(limit).execute();
  return rows.map(jobRowToJob);
}

/** Marks the job running if it is still as seen (queued, or running left over by a dead process); false if not. */
export async function claimJob(db: Db, job: Job, at: number): Promise<boolean> {
  const r = await db.updateTable('job').set({ state: 'running', started_at: iso(at), updated_at: iso(at) })
    .where('id', '=', job.id).where('state', '=', job.state).where('updated_at', '=', job.updatedStamp)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a success: done, or queued again (due now) when it was asked for after this run started. */
export async function completeJob(db: Db, id: string, startedAt: number, result: string, at: number): Promise<void> {
  const stamp = iso(at);
  await db.updateTable('job').set({
    state: sql<string>`case when requested_at > ${iso(startedAt)} then 'queued' else 'done' end`,
    attempts: 0, next_attempt_at: stamp, last_error: null, last_result: result, finished_at: stamp, updated_at: stamp,
  }).where('id', '=', id).execute();
}

/** Records a failure: queued again at `retryAt` with one more attempt, or failed for good when retryAt is null. */
export async function failJob(db: Db, id: string, error: string, attempts: number, retryAt: number | null, at: number): Promise<void> {
  const stamp = iso(at);
  await db.updateTable('job').set({
    state: retryAt === null ? 'failed' : 'queued', attempts, next_attempt_at: iso(retryAt ?? at), last_error: error.slice(0, 2000),
    finished_at: stamp, updated_at: stamp,
  }).where('id', '=', id).execute();
}

/** The job stored under a key, or null. */
export async function findJob(db: Db, key: string): Promise<Job | null> {
  const row = await db.selectFrom('job').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
  return row ? jobRowToJob(row) : null;
}

/** Every job of a kind, by key. */
export async function listJobs(db: Db, kind: string): Promise<Job[]> {
  return (await db.selectFrom('job').selectAll().where('kind', '=', kind).orderBy('dedupe_key').execute()).map(jobRowToJob);
}
