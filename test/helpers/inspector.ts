// Asks a child Node process started with --inspect=127.0.0.1:0 (in NODE_OPTIONS) for a full garbage collection and
// its memory use, over the DevTools protocol: the server needs no test-only endpoint for it.
export interface MemoryUse { rss: number; heapUsed: number; external: number; arrayBuffers: number }

/** The inspector's WebSocket address, from the line Node prints on stderr. */
export function inspectorUrl(output: string): string {
  const m = /Debugger listening on (ws:\/\/\S+)/.exec(output);
  if (!m) throw new Error(`no inspector address in output:\n${output}`);
  return m[1]!;
}

/** Collects garbage in the process, then reads process.memoryUsage(). */
export async function memoryAfterGc(wsUrl: string): Promise<MemoryUse> {
  const ws = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${wsUrl}`)), { once: true });
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<unknown> => new Promise((resolve) => {
    const n = ++id;
    pending.set(n, resolve);
    ws.send(JSON.stringify({ id: n, method, params }));
  });
  try {
    // Twice: the first collection may leave objects whose finalizers free more (Buffers' backing stores).
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const r = await call('Runtime.evaluate', { expression: 'process.memoryUsage()', returnByValue: true }) as { result: { value: MemoryUse } };
    return r.result.value;
  } finally {
    ws.close();
  }
}
