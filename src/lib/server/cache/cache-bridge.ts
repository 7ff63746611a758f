// The one value the front-of-process response cache needs from the Astro bundle: what version of the
// public data a render would see. Shared through a global symbol because the bundle and the server
// script load separate copies of the modules.
const KEY = Symbol.for('kaizen-status.cache-bridge');

export interface CacheBridge {
  /** Changes whenever anything a public page shows may have changed (data, clock boundaries). */
  version(now: number): string;
}

export function publishCacheBridge(bridge: CacheBridge): void {
  (globalThis as Record<symbol, unknown>)[KEY] = bridge;
}

export function readCacheBridge(): CacheBridge | null {
  return ((globalThis as Record<symbol, unknown>)[KEY] as CacheBridge | undefined) ?? null;
}
