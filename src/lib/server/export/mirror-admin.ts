// The admin view of the static mirror: the last export and each target's last push, and the two buttons.
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import type { Env } from '../env.ts';
import { enqueueJob, findJob, type Job } from '../jobs/job.repository.ts';
import { timeView } from '../views/present.ts';
import type { TimeView } from '../views/view-types.ts';
import { readMirrorBridge } from './mirror-bridge.ts';
import { configuredTargets, pushJob } from './mirror-targets.ts';

export interface MirrorTargetView {
  id: string;
  label: string;
  state: string;
  lastResult: string | null;
  lastError: string | null;
  finished: TimeView | null;
  attempts: number;
  nextTry: TimeView | null;
  button: 'Push now' | 'Retry';
}

export interface MirrorAdminView {
  configured: boolean;
  dir: string | null;
  mirrorOrigins: string[];
  /** False when this process has no exporter (e.g. a second instance without STATIC_EXPORT_DIR). */
  running: boolean;
  exporting: boolean;
  lastExport: { finished: TimeView; files: number; megabytes: string; written: number; removed: number; seconds: string; rendered: number; reused: number } | null;
  lastError: { at: TimeView; message: string } | null;
  waitingForDatabase: string[];
  targets: MirrorTargetView[];
  /** Set when the push table could not be read. */
  databaseError: string | null;
}

const stateLabel = (job: Job | null): string => {
  if (!job) return 'Never pushed';
  if (job.state === 'running') return 'Pushing now';
  if (job.state === 'done') return 'Pushed';
  if (job.state === 'failed') return `Gave up after ${job.attempts} attempts (tried again after the next change)`;
  return job.attempts > 0 ? `Failing: retry ${job.attempts + 1} queued` : 'Queued';
};

/** Everything the page shows; never throws for an unreachable database (it says so instead). */
export async function mirrorAdminView(db: Db, settings: Env, timeZone: string): Promise<MirrorAdminView> {
  const bridge = readMirrorBridge();
  const status = bridge?.status() ?? null;
  const t = (ms: number): TimeView => timeView(ms, timeZone);
  const targets: MirrorTargetView[] = [];
  let databaseError: string | null = null;
  for (const target of configuredTargets(settings)) {
    let job: Job | null = null;
    try {
      job = await findJob(db, pushJob(target.id).key);
    } catch (e) {
      databaseError = e instanceof Error ? e.message : String(e);
    }
    targets.push({
      id: target.id, label: target.label, state: stateLabel(job), lastResult: job?.lastResult ?? null, lastError: job?.lastError ?? null,
      finished: job?.finishedAt ? t(job.finishedAt) : null, attempts: job?.attempts ?? 0,
      nextTry: job && job.state === 'queued' ? t(job.nextAttemptAt) : null,
      button: job?.lastError ? 'Retry' : 'Push now',
    });
  }
  const e = status?.lastExport ?? null;
  return {
    configured: Boolean(settings.STATIC_EXPORT_DIR),
    dir: status?.dir ?? settings.STATIC_EXPORT_DIR ?? null,
    mirrorOrigins: settings.STATIC_MIRROR_URL ?? [],
    running: status !== null,
    exporting: status?.exporting ?? false,
    lastExport: e ? {
      finished: t(e.finishedAt), files: e.files, megabytes: (e.bytes / 1e6).toFixed(1), written: e.written, removed: e.removed,
      seconds: (e.durationMs / 1000).toFixed(1), rendered: e.rendered, reused: e.reused,
    } : null,
    lastError: status?.lastError ? { at: t(status.lastError.at), message: status.lastError.message } : null,
    waitingForDatabase: status?.waitingForDatabase ?? [],
    targets,
    databaseError,
  };
}

/** "Push now" / "Retry": the target's push is due at once (a queued one is not doubled). */
export async function requestPush(db: Db, settings: Env, targetId: string, actor: string, now: number): Promise<string> {
  const target = configuredTargets(settings).find((x) => x.id === targetId);
  if (!target) return 'No such target.';
  await db.transaction().execute(async (trx) => {
    await enqueueJob(trx, pushJob(target.id), now, { now: true });
    await recordAudit(trx, { actor, action: 'mirror.push', target: target.id }, now);
  });
  readMirrorBridge()?.wakePushes();
  return `Push to ${target.label} queued; it starts within a second.`;
}

/** "Export now". */
export function requestExport(): string {
  const bridge = readMirrorBridge();
  if (!bridge) return 'This process does not export (STATIC_EXPORT_DIR is not set for it).';
  bridge.requestExport();
  return 'Export started; this page shows it when it is done.';
}
