// When to export: at start, after every change of the public data (debounced: a burst gives one export, always
// started within a few seconds of its first change), and at least hourly (the day rolls over). One at a time;
// a change during an export gives another after it. Failures are logged and retried, never thrown.
import type { ExportManifest } from './export-manifest.ts';
import { logBackgroundError } from '../log/background-error.ts';

export interface ExportLoopOptions {
  run(options: { full: boolean }): Promise<ExportManifest>;
  /** The public data version now (null before the app has loaded). */
  dataVersion(): string | null;
  onExported?(manifest: ExportManifest): void;
  onFailed?(error: Error): void;
  log?(line: string): void;
  pollMs?: number;
  /** Quiet time after the last change before exporting. */
  quietMs?: number;
  /** The longest an export waits after the first change of a burst. */
  maxDelayMs?: number;
  refreshMs?: number;
  retryMs?: number;
  now?(): number;
}

export interface ExportLoop {
  /** Exports as soon as the current one (if any) is done. */
  requestExport(): void;
  running(): boolean;
  stop(): Promise<void>;
}

export const EXPORT_DEBOUNCE = { pollMs: 250, quietMs: 500, maxDelayMs: 2000, refreshMs: 3_600_000, retryMs: 30_000 };

/** Starts the loop; the first export begins at once. */
export function startExportLoop(o: ExportLoopOptions): ExportLoop {
  const now = o.now ?? Date.now;
  const log = o.log ?? ((line: string) => console.error(line));
  const t = { ...EXPORT_DEBOUNCE, ...Object.fromEntries(Object.entries(o).filter(([k, v]) => k in EXPORT_DEBOUNCE && v !== undefined)) };
  let exportedVersion: string | null | undefined;
  let seenVersion: string | null | undefined;
  let dirtySince: number | null = null;
  let lastChange = 0;
  let lastExport = 0;
  let retryAt = 0;
  let requested = false;
  let full = true;
  let current: Promise<void> | null = null;
  let lastError = '';
  let stopped = false;

  const exportNow = async (): Promise<void> => {
    requested = false;
    try {
      const manifest = await o.run({ full });
      full = false;
      exportedVersion = manifest.dataVersion;
      lastExport = now();
      lastError = '';
      o.onExported?.(manifest);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (error.message !== lastError) logBackgroundError(`static export (retrying every ${Math.round(t.retryMs / 1000)} s)`, error, log);
      lastError = error.message;
      retryAt = now() + t.retryMs;
      o.onFailed?.(error);
    }
  };

  const tick = (): void => {
    if (stopped) return;
    const at = now();
    let v: string | null = null;
    try {
      v = o.dataVersion();
    } catch {
      v = null;
    }
    if (v !== seenVersion) {
      seenVersion = v;
      lastChange = at;
    }
    if (current) return;
    const dirty = exportedVersion === undefined || (v !== null && v !== exportedVersion);
    dirtySince = dirty ? (dirtySince ?? at) : null;
    const failed = lastError !== '';
    const due = requested
      || (failed ? at >= retryAt : dirtySince !== null && (exportedVersion === undefined || at - lastChange >= t.quietMs || at - dirtySince >= t.maxDelayMs))
      || (lastExport > 0 && at - lastExport >= t.refreshMs);
    if (!due) return;
    current = exportNow().finally(() => { current = null; });
  };

  const timer = setInterval(tick, t.pollMs);
  timer.unref();
  tick();
  return {
    requestExport() {
      requested = true;
      tick();
    },
    running: () => current !== null,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
