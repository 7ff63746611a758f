// npm run bench: every measured target of the README's "Measured" table, one section each.
// Prints numbers; it asserts nothing (targets are judged by reading them, never in timed tests).
// BENCH_ONLY picks sections, a comma list (http, minute, instances, archive, export, email); unset runs them all.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchArchive } from './archive.ts';
import { benchEmail } from './email-section.ts';
import { benchExport } from './export.ts';
import { benchHttp } from './http.ts';
import { benchInstances } from './instances.ts';
import { benchMinute } from './minute.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

if (!fs.existsSync(path.join(root, 'dist/server/entry.mjs'))) {
  spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: root, stdio: 'inherit' });
}
const now = Date.now();
console.log(`Kaizen Status benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${DURATION} s per run\n`);

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()) ?? null;
const want = (section: string): boolean => only === null || only.includes(section);

// 1–2. Throughput against nginx with wrk, tracking query strings, a write every second (bench/http.ts).
if (want('http')) await benchHttp(now);
// The minute boundary (bench/minute.ts) and three instances on one PostgreSQL database (bench/instances.ts).
if (want('minute')) await benchMinute(now, DURATION);
if (want('instances')) await benchInstances(now, DURATION);
// 3. The archive: 100 to 100,000 past incidents (bench/archive.ts).
if (want('archive')) await benchArchive(now);
// 4. The static export (STATIC_EXPORT_DIR) at 100 and 10,000 past incidents.
if (want('export')) {
  console.log('');
  for (const n of [100, 10_000]) await benchExport(now, n);
}
// 5. Email fan-out and recipient selection (bench/email-section.ts).
if (want('email')) await benchEmail();
