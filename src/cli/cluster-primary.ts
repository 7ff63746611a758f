// WEB_CONCURRENCY > 1 (decision record 022): this process serves nothing itself. It forks the workers, the first
// alone (it migrates the database and runs the background jobs), the others once it listens; relays "public data
// changed" between them and answers the writer once every other worker has dropped its copy; replaces a worker
// that dies; and on SIGTERM/SIGINT stops them all before it exits.
import cluster, { type Worker } from 'node:cluster';
import { BACKGROUND_FLAG } from '../lib/server/cluster/cluster-role.ts';
import { isSyncMessage, type SyncMessage } from '../lib/server/cluster/data-sync.ts';

export function runPrimary(count: number): void {
  const ready = new Set<Worker>();
  const live = new Set<Worker>();
  let background: Worker | null = null;
  let stopping = false;
  let announced = false;
  let nextId = 0;
  /** Invalidations in flight: the workers still to answer, then the writer's acknowledgement. */
  const waiting = new Map<number, { left: Set<Worker>; done: () => void }>();

  const send = (w: Worker, m: SyncMessage): void => {
    if (w.isConnected()) w.send(m);
  };

  const settle = (id: number, w: Worker): void => {
    const flight = waiting.get(id);
    if (!flight) return;
    flight.left.delete(w);
    if (flight.left.size === 0) {
      waiting.delete(id);
      flight.done();
    }
  };

  function fork(asBackground: boolean): Worker {
    cluster.setupPrimary({ args: asBackground ? [BACKGROUND_FLAG] : [] });
    // The primary has built the site already; no worker builds again.
    const w = cluster.fork({ SKIP_BUILD: '1' });
    live.add(w);
    if (asBackground) background = w;
    w.on('message', (m: unknown) => {
      if (!isSyncMessage(m)) return;
      if (m.kaizen === 'ready') {
        ready.add(w);
        if (w === background && ready.size === 1 && !announced) for (let i = 1; i < count; i++) fork(false);
        if (!announced && ready.size === count) {
          announced = true;
          console.log(`Kaizen Status listening on ${m.url} (${count} worker processes)`);
        }
      } else if (m.kaizen === 'data-changed') {
        const id = ++nextId;
        const others = new Set([...ready].filter((o) => o !== w && o.isConnected()));
        waiting.set(id, { left: others, done: () => send(w, { kaizen: 'data-acked', seq: m.seq }) });
        if (others.size === 0) settle(id, w);
        for (const o of others) send(o, { kaizen: 'invalidate', id });
      } else if (m.kaizen === 'invalidated') {
        settle(m.id, w);
      }
    });
    w.on('exit', (code, signal) => {
      const wasReady = ready.delete(w);
      live.delete(w);
      // A worker that is gone answers nothing: it no longer holds any write up.
      for (const id of [...waiting.keys()]) settle(id, w);
      if (stopping) {
        if (live.size === 0) process.exit();
        return;
      }
      // One that never started (a taken port, a broken setting) has said why; starting it again would say it again.
      if (!wasReady && !announced) {
        stopping = true;
        for (const o of live) o.process.kill('SIGTERM');
        process.exitCode = typeof code === 'number' && code !== 0 ? code : 1;
        if (live.size === 0) process.exit();
        return;
      }
      console.error(`worker ${w.process.pid} exited (${signal ?? code}); starting another`);
      fork(w === background);
    });
    return w;
  }

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (live.size === 0) process.exit(0);
    // Each worker shuts down gracefully (start.ts: up to 20 s for email calls in flight and responses in progress).
    for (const w of live) w.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 30_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  fork(true);
}
