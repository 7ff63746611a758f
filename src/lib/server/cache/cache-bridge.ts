// What the server script needs from the Astro bundle: the version of the public data a render would see (for
// the response cache and the static export), the read model itself (the export's list of pages), and the state
// of the content (for /readyz and the Warning header). Shared through a global symbol because the bundle and the
// server script load separate copies of the modules.
import type { StatusModel } from '../status-data/status-model.ts';

const KEY = Symbol.for('kaizen-status.cache-bridge');

export interface CacheBridge {
  /** Changes whenever anything a public page shows may have changed (data, clock boundaries). */
  version(now: number): string;
  /** Changes whenever public data changes (content, admin writes, maintenance boundaries), not with the minute. */
  dataVersion(now: number): string;
  /** The current read model. */
  statusModel(): Promise<StatusModel>;
  /** The read model without team-only items: what the static export and other public copies are made from. */
  publicStatusModel(): Promise<StatusModel>;
  /** A `Warning` header value while some part is down (responses may be stale), else null. */
  warning(): string | null;
  /** What the content store holds now. */
  content(): ContentHealth;
  /** site.yaml says `visibility: private` (or cannot say public): nothing is cached, exported or indexed. */
  isPrivate(): boolean;
  /** Subscribes to any change of public data (content files, admin writes here or on another instance). */
  onDataChange(listener: () => void): () => void;
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
