// The durable job queue on real databases: coalescing by key, backoff and giving up, a run asked for during a run,
// jobs left running by a dead process, and on PostgreSQL two workers never running one job at once.
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { jobBackoffMs, startJobWorker, type JobHandler, type JobWorker } from '../../../../src/lib/server/jobs/job-worker.ts';
import { enqueueJob, findJob } from '../../../../src/lib/server/jobs/job.repository.ts';
import { emailTestDb, type EmailTestDb } from '../../../helpers/email-db.ts';
import { eventually } from '../../../helpers/server.ts';

let t: EmailTestDb;
let workers: JobWorker[] = [];
beforeEach(async () => { t = await emailTestDb(); });
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await t.cleanup();
});

const job = { kind: 'push', key: 'push:git', payload: { target: 'git' } };
const start = (db: Db, handler: JobHandler, extra: { maxAttempts?: number } = {}): JobWorker => {
  const w = startJobWorker({ db, handlers: { push: handler }, pollMs: 20, random: () => 0, log: () => {}, ...extra });
  workers.push(w);
  return w;
};

describe('job queue', () => {
  it('keeps one row per key: asking again while queued adds nothing and keeps the backoff', async () => {
    await enqueueJob(t.db, job, 1000);
    await t.db.updateTable('job').set({ attempts: 3, next_attempt_at: new Date(60_000).toISOString() }).execute();
    await enqueueJob(t.db, job, 2000);
    const rows = await t.db.selectFrom('job').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'queued', attempts: 3, next_attempt_at: new Date(60_000).toISOString() });
    await enqueueJob(t.db, job, 3000, { now: true });
    expect((await findJob(t.db, job.key))!.nextAttemptAt).toBe(3000);
  });

  it('runs a job and records its result', async () => {
    await enqueueJob(t.db, job, Date.now());
    const seen: unknown[] = [];
    start(t.db, async (payload) => { seen.push(payload); return 'pushed abc'; });
    await eventually(async () => expect((await findJob(t.db, job.key))!.state).toBe('done'));
    expect(seen).toEqual([{ target: 'git' }]);
    expect((await findJob(t.db, job.key))!.lastResult).toBe('pushed abc');
  });

  it('retries with backoff, gives up after the last attempt, and starts over when asked again', async () => {
    await enqueueJob(t.db, job, Date.now());
    let calls = 0;
    start(t.db, async () => { calls++; throw new Error('remote refused'); }, { maxAttempts: 2 });
    await eventually(async () => expect((await findJob(t.db, job.key))!.state).toBe('failed'), 10_000);
    const failed = (await findJob(t.db, job.key))!;
    expect(calls).toBe(2);
    expect(failed).toMatchObject({ attempts: 2, lastError: 'remote refused' });
    await enqueueJob(t.db, job, Date.now());
    expect((await findJob(t.db, job.key))!).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('backs off 2 s, 4 s, 8 s … up to 10 minutes, with jitter between half and all', () => {
    expect([1, 2, 3].map((a) => jobBackoffMs(a, () => 1))).toEqual([2000, 4000, 8000]);
    expect(jobBackoffMs(1, () => 0)).toBe(1000);
    expect(jobBackoffMs(30, () => 1)).toBe(600_000);
  });

  it('runs again after the current run when asked for during it', async () => {
    await enqueueJob(t.db, job, Date.now());
    let calls = 0;
    let release: () => void = () => {};
    start(t.db, async () => {
      calls++;
      if (calls === 1) await new Promise<void>((r) => { release = r; });
      return `run ${calls}`;
    });
    await eventually(async () => expect(calls).toBe(1));
    await enqueueJob(t.db, job, Date.now());
    release();
    await eventually(async () => expect((await findJob(t.db, job.key))!).toMatchObject({ state: 'done', lastResult: 'run 2' }));
  });

  it('takes up a job left running by a process that died', async () => {
    await enqueueJob(t.db, job, Date.now());
    await t.db.updateTable('job').set({ state: 'running', started_at: new Date().toISOString() }).execute();
    start(t.db, async () => 'recovered');
    await eventually(async () => expect((await findJob(t.db, job.key))!).toMatchObject({ state: 'done', lastResult: 'recovered' }));
  });

  it('survives a database that stops answering', async () => {
    const w = startJobWorker({ db: t.db, handlers: { push: async () => 'x' }, pollMs: 20, log: () => {} });
    await t.db.destroy();
    await new Promise((r) => setTimeout(r, 100));
    await w.stop();
    t = await emailTestDb();
  });
});

const BASE = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `kz_jobs_${process.pid}_${Date.now()}`;
const admin = async (text: string): Promise<void> => {
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  try { await c.query(text); } finally { await c.end(); }
};
afterAll(async () => { await admin(`drop database if exists ${database}`).catch(() => {}); });

describe('job queue on PostgreSQL', () => {
  it('two workers on one database never run one job at once, and run it once per request', async () => {
    await admin(`create database ${database}`);
    const url = Object.assign(new URL(BASE), { pathname: `/${database}` }).href;
    const a = openDb(url);
    const b = openDb(url);
    await migrateToLatest(a);
    let running = 0;
    let overlap = 0;
    let calls = 0;
    const handler: JobHandler = async () => {
      running++;
      calls++;
      if (running > 1) overlap++;
      await new Promise((r) => setTimeout(r, 50));
      running--;
      return 'ok';
    };
    try {
      start(a, handler);
      start(b, handler);
      for (let i = 0; i < 5; i++) {
        await enqueueJob(a, job, Date.now());
        await eventually(async () => expect((await findJob(a, job.key))!.state).toBe('done'));
      }
      expect(overlap).toBe(0);
      expect(calls).toBe(5);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      workers = [];
      await a.destroy();
      await b.destroy();
    }
  });
});
