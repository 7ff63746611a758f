// The static mirror of the running server: exports after every change, queues a push per target after each
// export (remembered in memory while the database is unreachable), runs the pushes, and tells admin how it went.
// Nothing here can fail a request: every error is logged, shown in admin and retried.
import path from 'node:path';
import type { RenderedResponse } from '../cache/response-cache.ts';
import type { CacheBridge } from '../cache/cache-bridge.ts';
import { openDb, type Db } from '../db/connection.ts';
import type { Env } from '../env.ts';
import { enqueueJob } from '../jobs/job.repository.ts';
import { startJobWorker, type JobWorker } from '../jobs/job-worker.ts';
import { startExportLoop, type ExportLoop } from './export-loop.ts';
import { createExporter } from './exporter.ts';
import { publishMirrorBridge, type MirrorStatus } from './mirror-bridge.ts';
import { EXPORT_REFUSED } from '../../status/private-site.ts';
import { configuredTargets, PUSH_JOB_KIND, pushHandler, pushJob } from './mirror-targets.ts';
import { logBackgroundError } from '../log/background-error.ts';

export interface StaticMirrorOptions {
  /** Renders a live path as readers get it (the response cache's identity()). */
  render(pathAndQuery: string, options?: { store?: boolean }): Promise<RenderedResponse>;
  bridge(): CacheBridge | null;
  /** Astro's client build folder. */
  assetsDir: string;
  cacheControl: string;
  /** The process's database (its one shared handle); opened here when not given. */
  db?: Db;
  log?(line: string): void;
}

export interface StaticMirror {
  stop(): Promise<void>;
}

const ENQUEUE_RETRY_MS = 2000;

/** Starts the mirror when STATIC_EXPORT_DIR is set; null otherwise, or (logged) when the folder cannot be used. */
export function startStaticMirror(settings: Env, o: StaticMirrorOptions): StaticMirror | null {
  if (!settings.STATIC_EXPORT_DIR) return null;
  const log = o.log ?? ((line: string) => console.error(line));
  const status: MirrorStatus = { dir: path.resolve(settings.STATIC_EXPORT_DIR), lastExport: null, lastError: null, exporting: false, waitingForDatabase: [] };
  let exporter;
  try {
    exporter = createExporter({
      dir: settings.STATIC_EXPORT_DIR, assetsDir: o.assetsDir, siteUrl: settings.SITE_URL, cacheControl: o.cacheControl,
      source: {
        render: o.render,
        model: async () => {
          const b = o.bridge();
          if (!b) throw new Error('the app has not loaded yet');
          if (b.isPrivate()) throw new Error(EXPORT_REFUSED);
          return b.publicStatusModel();
        },
        dataVersion: () => o.bridge()?.dataVersion(Date.now()) ?? null,
      },
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    logBackgroundError('static export disabled', e, log);
    status.lastError = { at: Date.now(), message };
    publishMirrorBridge({ status: () => status, requestExport: () => {}, wakePushes: () => {} });
    return null;
  }
  const targets = configuredTargets(settings);
  const db: Db | null = targets.length > 0 ? (o.db ?? openDb(settings.DATABASE_URL)) : null;
  const worker: JobWorker | null = db ? startJobWorker({ db, handlers: { [PUSH_JOB_KIND]: pushHandler(exporter.layout, targets) }, log }) : null;
  const waiting = new Set<string>();
  let lastEnqueueError = '';
  let first = true;

  const enqueueWaiting = async (): Promise<void> => {
    if (!db) return;
    for (const id of [...waiting]) {
      try {
        await enqueueJob(db, pushJob(id), Date.now());
        waiting.delete(id);
        lastEnqueueError = '';
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (message !== lastEnqueueError) logBackgroundError(`static export: cannot queue the push to ${id} yet (it is kept and queued when the database answers)`, e, log);
        lastEnqueueError = message;
      }
    }
    status.waitingForDatabase = [...waiting];
    worker?.wake();
  };
  const retry = setInterval(() => void (waiting.size > 0 ? enqueueWaiting() : undefined), ENQUEUE_RETRY_MS);
  retry.unref();

  const loop: ExportLoop = startExportLoop({
    run: async (options) => {
      status.exporting = true;
      try {
        return await exporter.run(options);
      } finally {
        status.exporting = false;
      }
    },
    dataVersion: () => o.bridge()?.dataVersion(Date.now()) ?? null,
    onExported(manifest) {
      status.lastExport = { ...manifest.stats, finishedAt: Date.now() };
      status.lastError = null;
      // The manifest is written every time; anything else means the copy changed. After a restart, push once anyway.
      if (first || manifest.stats.written > 1 || manifest.stats.removed > 0) {
        first = false;
        for (const t of targets) waiting.add(t.id);
        void enqueueWaiting();
      }
    },
    onFailed(error) {
      status.lastError = { at: Date.now(), message: error.message };
    },
    log,
  });
  publishMirrorBridge({ status: () => status, requestExport: () => loop.requestExport(), wakePushes: () => worker?.wake() });
  return {
    async stop() {
      clearInterval(retry);
      await loop.stop();
      await worker?.stop();
      if (!o.db) await db?.destroy();
      publishMirrorBridge(null);
    },
  };
}
