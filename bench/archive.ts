// BENCH_ONLY=archive: what an archive of 100 to 100,000 past incidents costs — uncached renders of / and
// /history (first and a middle page), start-up from spawn to the first 200, and loading the content alone.
import fs from 'node:fs';
import { openContentStore } from '../src/lib/server/content/content-store.ts';
import { startServer, type RunningServer } from '../test/helpers/server.ts';
import { generateContent } from './generate-content.ts';

/** Mean milliseconds of `n` sequential requests after one warm-up (RESPONSE_CACHE=off: each one renders). */
async function timeRenders(server: RunningServer, p: string, n: number): Promise<number> {
  const first = await server.get(p);
  if (first.status !== 200) throw new Error(`${p} answered ${first.status}`);
  await first.text();
  const start = performance.now();
  for (let i = 0; i < n; i++) await server.get(p).then((r) => r.text());
  return (performance.now() - start) / n;
}

const sizes = (process.env.BENCH_ARCHIVE_SIZES ?? '100,10000,100000').split(',').map(Number);

/** Prints one line per archive size and the ratios the issue sets (≤ 2× from the smallest to the largest; start-up < 5 s at 10,000). */
export async function benchArchive(now: number): Promise<void> {
  console.log('Archive (RESPONSE_CACHE=off, each request renders)');
  const rows: { n: number; home: number; first: number; middle: number }[] = [];
  for (const n of sizes) {
    const generatedAt = performance.now();
    const dir = generateContent({ now, pastIncidents: n, openIncidents: 3 });
    const generateMs = performance.now() - generatedAt;
    // Loading alone, in this process: read, parse and validate every file, then build the snapshot.
    const loadStart = performance.now();
    const store = openContentStore(dir, { watch: false, log: () => {} });
    const loadMs = performance.now() - loadStart;
    const served = store.current().snapshot.incidents.length;
    store.close();
    const spawnedAt = performance.now();
    const s = await startServer({ contentDir: dir, env: { RESPONSE_CACHE: 'off' } });
    const firstOk = await s.get('/');
    await firstOk.text();
    const startMs = performance.now() - spawnedAt;
    const middle = Math.max(2, Math.ceil(Math.ceil((n + 3) / 25) / 2));
    const row = { n, home: await timeRenders(s, '/', 30), first: await timeRenders(s, '/history', 30), middle: await timeRenders(s, `/history/page/${middle}`, 30) };
    rows.push(row);
    console.log(`${String(n).padStart(7)} past incidents (${served + 0} loaded, ${(generateMs / 1000).toFixed(1)} s to generate): `
      + `/ ${row.home.toFixed(1)} ms, /history ${row.first.toFixed(1)} ms, /history/page/${middle} ${row.middle.toFixed(1)} ms; `
      + `content loading ${(loadMs / 1000).toFixed(2)} s, spawn to first 200 ${(startMs / 1000).toFixed(2)} s${n === 10_000 ? ' (target < 5 s)' : ''}`);
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const small = rows[0];
  const large = rows[rows.length - 1];
  if (small && large && large !== small) {
    console.log(`  ${large.n} vs ${small.n}: / ×${(large.home / small.home).toFixed(2)}, /history ×${(large.first / small.first).toFixed(2)}, `
      + `middle page ×${(large.middle / small.middle).toFixed(2)} (target ≤ 2×)`);
  }
  console.log('');
}
