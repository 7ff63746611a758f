// What the server script needs from the Astro bundle: what version of the public data a render would see
// (for the response cache and the static export) and the read model itself (the export's list of pages).
// Shared through a global symbol because the bundle and the server script load separate copies of the modules.
import type { StatusModel } from '../status-data/status-model.ts';

const KEY = Symbol.for('kaizen-status.cache-bridge');

export interface CacheBridge {
  /** Changes whenever anything a public page shows may have changed (data, clock boundaries). */
  version(now: number): string;
  /** Changes whenever public data changes (content, admin writes, maintenance boundaries), not with the minute. */
  dataVersion(now: number): string;
  /** The current read model. */
  statusModel(): Promise<StatusModel>;
}

export function publishCacheBridge(bridge: CacheBridge): void {
  (globalThis as Record<symbol, unknown>)[KEY] = bridge;
}

export function readCacheBridge(): CacheBridge | null {
  return ((globalThis as Record<symbol, unknown>)[KEY] as CacheBridge | undefined) ?? null;
}
