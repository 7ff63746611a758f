// The push targets the settings configure, and the job that pushes the current export to one of them.
import path from 'node:path';
import type { Env } from '../env.ts';
import type { JobHandler } from '../jobs/job-worker.ts';
import type { NewJob } from '../jobs/job.repository.ts';
import { STATIC_EXPORT_DEFAULTS } from './export-settings.ts';
import { pinCurrentVersion, type ExportLayout } from './export-swap.ts';
import { gitTarget } from './targets/git-target.ts';
import type { MirrorTarget } from './targets/mirror-target.ts';
import { s3Target } from './targets/s3-target.ts';

export const PUSH_JOB_KIND = 'mirror-push';

/** Configured targets in a fixed order; their working state lives in <STATIC_EXPORT_DIR>.targets/. */
export function configuredTargets(settings: Env): MirrorTarget[] {
  if (!settings.STATIC_EXPORT_DIR) return [];
  const state = `${path.resolve(settings.STATIC_EXPORT_DIR)}.targets`;
  const targets: MirrorTarget[] = [];
  if (settings.STATIC_EXPORT_GIT_REMOTE) {
    targets.push(gitTarget({
      remote: settings.STATIC_EXPORT_GIT_REMOTE, branch: settings.STATIC_EXPORT_GIT_BRANCH ?? STATIC_EXPORT_DEFAULTS.gitBranch,
      authorName: settings.STATIC_EXPORT_GIT_AUTHOR_NAME ?? STATIC_EXPORT_DEFAULTS.gitAuthorName,
      authorEmail: settings.STATIC_EXPORT_GIT_AUTHOR_EMAIL ?? STATIC_EXPORT_DEFAULTS.gitAuthorEmail,
      workDir: path.join(state, 'git'),
    }));
  }
  if (settings.STATIC_EXPORT_S3_BUCKET) {
    targets.push(s3Target({
      bucket: settings.STATIC_EXPORT_S3_BUCKET, prefix: settings.STATIC_EXPORT_S3_PREFIX ?? '',
      endpoint: settings.STATIC_EXPORT_S3_ENDPOINT, region: settings.STATIC_EXPORT_S3_REGION,
    }));
  }
  return targets;
}

/** The job that pushes the current export to a target: one key per target, so pushes coalesce. */
export function pushJob(targetId: string): NewJob {
  return { kind: PUSH_JOB_KIND, key: `${PUSH_JOB_KIND}:${targetId}`, payload: { target: targetId } };
}

/** Runs a push job: the export current when it starts, kept from deletion while it is read. */
export function pushHandler(layout: ExportLayout, targets: readonly MirrorTarget[]): JobHandler {
  return async (payload, { signal }) => {
    const id = (payload as { target?: unknown } | null)?.target;
    const target = targets.find((t) => t.id === id);
    if (!target) throw new Error(`no target '${String(id)}' is configured here`);
    const pinned = pinCurrentVersion(layout);
    if (!pinned) throw new Error('no export yet');
    try {
      return await target.push(pinned.path, pinned.manifest, signal);
    } finally {
      pinned.release();
    }
  };
}
