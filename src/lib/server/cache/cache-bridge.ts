// What the front-of-process server needs from the Astro bundle: the version of the public data a render would
// see (for the response cache), and the state of the content (for /readyz and the Warning header). Shared
// through a global symbol because the bundle and the server script load separate copies of the modules.
const KEY = Symbol.for('kaizen-status.cache-bridge');

export interface CacheBridge {
  /** Changes whenever anything a public page shows may have changed (data, clock boundaries). */
  version(now: number): string;
  /** A `Warning` header value while some part is down (responses may be stale), else null. */
  warning(): string | null;
  /** What the content store holds now. */
  content(): ContentHealth;
}

export interface ContentHealth {
  /** site.yaml was read (not the defaults). */
  loaded: boolean;
  components: number;
  incidents: number;
  problems: number;
  /** Set while the folder is missing or empty and the last good copy is served. */
  unavailable: { since: number; reason: string } | null;
}

export function publishCacheBridge(bridge: CacheBridge): void {
  (globalThis as Record<symbol, unknown>)[KEY] = bridge;
}

export function readCacheBridge(): CacheBridge | null {
  return ((globalThis as Record<symbol, unknown>)[KEY] as CacheBridge | undefined) ?? null;
}
