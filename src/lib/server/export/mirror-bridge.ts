// What the admin page (in the Astro bundle) reads from the static mirror (run by the server script): the last
// export, its error, and two buttons. Shared through a global symbol, as the bundle and the script load separate
// copies of the modules; absent when STATIC_EXPORT_DIR is not set or in processes without the server script.
import type { ExportStats } from './export-manifest.ts';

const KEY = Symbol.for('kaizen-status.mirror-bridge');

export interface MirrorStatus {
  /** The symlink readers use. */
  dir: string;
  lastExport: (ExportStats & { finishedAt: number }) | null;
  lastError: { at: number; message: string } | null;
  exporting: boolean;
  /** Targets whose push could not be queued yet (database unreachable): queued when it answers. */
  waitingForDatabase: string[];
}

export interface MirrorBridge {
  status(): MirrorStatus;
  requestExport(): void;
  /** Tells the push worker to look for work now. */
  wakePushes(): void;
}

export function publishMirrorBridge(bridge: MirrorBridge | null): void {
  (globalThis as Record<symbol, unknown>)[KEY] = bridge ?? undefined;
}

export function readMirrorBridge(): MirrorBridge | null {
  return ((globalThis as Record<symbol, unknown>)[KEY] as MirrorBridge | undefined) ?? null;
}
