// The no-stale-read rule across cluster workers (decision record 022): a worker that changed public data tells
// the primary, which tells every other worker; each drops its read model (its cache entries then miss) and
// answers; the write's response waits for those answers. Outside a cluster every call is a no-op.
import cluster from 'node:cluster';

/** Messages between workers and the primary; `kaizen` marks ours among any other IPC. */
export type SyncMessage =
  | { kaizen: 'data-changed'; seq: number }
  | { kaizen: 'data-acked'; seq: number }
  | { kaizen: 'invalidate'; id: number }
  | { kaizen: 'invalidated'; id: number }
  | { kaizen: 'ready'; url: string };

/** A worker stuck past this long does not hold writes up: it still reloads within the data_version poll (1 s). */
const ACK_TIMEOUT_MS = 2000;

const pending = new Map<number, { done: Promise<void>; resolve: () => void }>();
let seq = 0;
let listening = false;
const peerListeners = new Set<() => void>();

export function isSyncMessage(m: unknown): m is SyncMessage {
  return typeof m === 'object' && m !== null && typeof (m as { kaizen?: unknown }).kaizen === 'string';
}

function listen(): void {
  if (listening || !cluster.isWorker) return;
  listening = true;
  process.on('message', (m: unknown) => {
    if (!isSyncMessage(m)) return;
    if (m.kaizen === 'data-acked') {
      pending.get(m.seq)?.resolve();
      pending.delete(m.seq);
    } else if (m.kaizen === 'invalidate') {
      for (const l of peerListeners) l();
      process.send?.({ kaizen: 'invalidated', id: m.id } satisfies SyncMessage);
    }
  });
}

/** Called on a local change of public data: every other worker drops what it read before (see dataChangesSettled). */
export function announceDataChange(): void {
  if (!cluster.isWorker || !process.send) return;
  listen();
  const n = ++seq;
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => { resolve = r; });
  const timer = setTimeout(() => { pending.delete(n); resolve(); }, ACK_TIMEOUT_MS);
  timer.unref();
  pending.set(n, { done: done.finally(() => clearTimeout(timer)), resolve });
  process.send({ kaizen: 'data-changed', seq: n } satisfies SyncMessage);
}

/** Resolves once every worker has dropped the data changed here so far: a state change's response waits for it. */
export async function dataChangesSettled(): Promise<void> {
  if (pending.size === 0) return;
  await Promise.all([...pending.values()].map((p) => p.done));
}

/** Subscribes to another worker's change of public data. */
export function onPeerDataChange(listener: () => void): () => void {
  listen();
  peerListeners.add(listener);
  return () => peerListeners.delete(listener);
}
