// When the export runs: at once at start, once per burst of changes (within the longest delay), again after a change
// made during an export, hourly without changes, and retried after a failure; never throwing.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportManifest } from '../../../../src/lib/server/export/export-manifest.ts';
import { startExportLoop, type ExportLoop, type ExportLoopOptions } from '../../../../src/lib/server/export/export-loop.ts';
import { eventually } from '../../../helpers/server.ts';

let loop: ExportLoop | null = null;
afterEach(async () => { await loop?.stop(); loop = null; });

function harness(extra: Partial<ExportLoopOptions> = {}) {
  const state = { version: 'v1', runs: [] as { full: boolean; version: string; at: number }[], fail: false, hold: null as Promise<void> | null, logs: [] as string[] };
  const manifest = (v: string): ExportManifest => ({ format: 1, liveOrigin: 'x', dataVersion: v, headerSets: [], files: {}, stats: { version: 1, startedAt: '', durationMs: 0, files: 0, bytes: 0, written: 2, removed: 0, rendered: 0, reused: 0 } });
  loop = startExportLoop({
    async run({ full }) {
      const version = state.version;
      state.runs.push({ full, version, at: Date.now() });
      if (state.hold) await state.hold;
      if (state.fail) throw new Error('disk full');
      return manifest(version);
    },
    dataVersion: () => state.version,
    log: (l) => state.logs.push(l),
    pollMs: 10, quietMs: 60, maxDelayMs: 200, retryMs: 100,
    ...extra,
  });
  return state;
}

describe('export loop', () => {
  it('exports in full at start, then not again while nothing changes', async () => {
    const s = harness();
    await eventually(async () => expect(s.runs).toHaveLength(1));
    expect(s.runs[0]!.full).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(s.runs).toHaveLength(1);
  });

  it('gives one export for a burst of changes, and starts it within the longest delay even if changes keep coming', async () => {
    // A clock of its own: the loop's ticks are real, the time they read is the test's.
    let clock = 1_000_000;
    const s = harness({ now: () => clock });
    await eventually(async () => expect(s.runs).toHaveLength(1));
    const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 30));
    for (let i = 2; i < 30; i++) {
      clock += 15;
      s.version = `v${i}`;
      await tick();
    }
    // Changes every 15 ms never leave 60 ms of quiet: only the 200 ms limit starts exports during the burst.
    expect(s.runs.length - 1).toBeGreaterThanOrEqual(1);
    expect(s.runs.length - 1).toBeLessThanOrEqual(3);
    clock += 100;
    await eventually(async () => expect(s.runs.at(-1)!.version).toBe('v29'));
    expect(s.runs.every((r, i) => i === 0 || !r.full)).toBe(true);
  });

  it('exports again after a change made during an export, one at a time', async () => {
    const s = harness();
    await eventually(async () => expect(s.runs).toHaveLength(1));
    let release: () => void = () => {};
    s.hold = new Promise((r) => { release = r; });
    s.version = 'v2';
    await eventually(async () => expect(s.runs).toHaveLength(2));
    s.version = 'v3';
    await new Promise((r) => setTimeout(r, 100));
    expect(s.runs).toHaveLength(2);
    s.hold = null;
    release();
    await eventually(async () => expect(s.runs.map((r) => r.version)).toEqual(['v1', 'v2', 'v3']));
  });

  it('retries a failed export and logs the failure once', async () => {
    const s = harness();
    await eventually(async () => expect(s.runs).toHaveLength(1));
    s.fail = true;
    s.version = 'v2';
    await eventually(async () => expect(s.runs.length).toBeGreaterThanOrEqual(4));
    expect(s.logs).toHaveLength(1);
    expect(s.logs[0]).toContain('disk full');
    s.fail = false;
    const n = s.runs.length;
    await eventually(async () => expect(s.runs.length).toBe(n + 1));
    await new Promise((r) => setTimeout(r, 150));
    expect(s.runs.length).toBe(n + 1);
  });

  it('refreshes after the refresh interval without changes, and on request', async () => {
    const s = harness({ refreshMs: 80 });
    await eventually(async () => expect(s.runs.length).toBeGreaterThanOrEqual(3));
    await loop!.stop();
    const t = harness();
    await eventually(async () => expect(t.runs).toHaveLength(1));
    loop!.requestExport();
    await eventually(async () => expect(t.runs).toHaveLength(2));
  });
});
