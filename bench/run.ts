// npm run bench: the built server against nginx sending the same bytes (bench/http.ts), the archive, the export.
// Prints numbers; it asserts nothing (targets are judged by reading them, never in timed tests).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../test/helpers/server.ts';
import { benchExport } from './export.ts';
import { benchHttp } from './http.ts';
import { generateContent } from './generate-content.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

async function timeRenders(server: RunningServer, p: string, n: number): Promise<number> {
  await server.get(p).then((r) => r.text());
  const start = performance.now();
  for (let i = 0; i < n; i++) await server.get(p).then((r) => r.text());
  return (performance.now() - start) / n;
}

if (!fs.existsSync(path.join(root, 'dist/server/entry.mjs'))) {
  spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: root, stdio: 'inherit' });
}
const now = Date.now();
console.log(`Kaizen Status benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${DURATION} s per run\n`);

// BENCH_ONLY picks sections, a comma list (http, export, …); unset runs them all.
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()) ?? null;
const want = (section: string): boolean => only === null || only.includes(section);
// 1–2. Throughput against nginx with wrk, tracking query strings, a write every second (bench/http.ts).
if (want('http')) await benchHttp(now);
if (only === null) {
// 3. Cost growth of an uncached render with the size of the archive.
for (const n of [100, 10_000]) {
  const dir = generateContent({ now, pastIncidents: n, openIncidents: 3 });
  const s = await startServer({ contentDir: dir, env: { RESPONSE_CACHE: 'off' } });
  const pages = Math.ceil((n + 3) / 25);
  const homeMs = await timeRenders(s, '/', 30);
  const historyMs = await timeRenders(s, `/history/page/${Math.ceil(pages / 2)}`, 30);
  console.log(`${String(n).padStart(6)} past incidents, uncached: / ${homeMs.toFixed(1)} ms, /history/page/${Math.ceil(pages / 2)} ${historyMs.toFixed(1)} ms`);
  await s.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
}

// 4. The static export (STATIC_EXPORT_DIR) at 100 and 10,000 past incidents.
console.log('');
if (want('export')) for (const n of [100, 10_000]) await benchExport(now, n);
