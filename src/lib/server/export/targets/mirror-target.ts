// A place the copy is pushed to. Each push sends the current export whole: what changed is worked out against
// what the target already holds, so one queued push per target is all that is ever needed.
import type { ExportManifest } from '../export-manifest.ts';

export interface MirrorTarget {
  /** Stable id: part of the job's key ('git', 's3'). */
  id: string;
  /** What admin shows, credentials removed. */
  label: string;
  /** Pushes the version in `versionDir`; resolves with a one-line summary, throws with a message to retry. */
  push(versionDir: string, manifest: ExportManifest, signal: AbortSignal): Promise<string>;
}

/** A URL with any user name or password replaced by ***, for logs and admin. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}

/** Changed and removed files between what a target holds and the export, by digest. */
export function diffManifests(held: ExportManifest | null, next: ExportManifest): { changed: string[]; removed: string[] } {
  const changed: string[] = [];
  for (const [file, f] of Object.entries(next.files)) {
    const old = held?.files[file];
    const oldHeaders = old ? held!.headerSets[old.headers] : undefined;
    const headers = next.headerSets[f.headers];
    if (!old || old.sha256 !== f.sha256 || JSON.stringify(oldHeaders) !== JSON.stringify(headers)) changed.push(file);
  }
  const removed = Object.keys(held?.files ?? {}).filter((file) => !next.files[file]);
  return { changed, removed };
}
