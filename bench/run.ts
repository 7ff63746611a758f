// npm run bench: the built server against a node:http server sending the same bytes from memory.
// Prints numbers; it asserts nothing (targets are judged by reading them, never in timed tests).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import zlib from 'node:zlib';
import { firstAdmin } from '../test/helpers/admin-client.ts';
import { startServer } from '../test/helpers/server.ts';
import { benchArchive } from './archive.ts';
import { benchEmail } from './email-section.ts';
import { benchExport } from './export.ts';
import { benchInstances } from './instances.ts';
import { benchMinute } from './minute.ts';
import { generateContent } from './generate-content.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

interface Result { rps: number; p50: number; p99: number; errors: number; non2xx: number }

async function load(url: string, connections: number, duration = DURATION): Promise<Result> {
  const r = await autocannon({ url, connections, duration, pipelining: 1 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

function startReference(body: Buffer, contentType: string): Promise<{ url: string; child: ChildProcess }> {
  const file = path.join(os.tmpdir(), `kaizen-ref-${process.pid}.html`);
  fs.writeFileSync(file, body);
  const script = `const http=require('http');const b=require('fs').readFileSync(${JSON.stringify(file)});http.createServer((q,s)=>{s.writeHead(200,{'content-type':${JSON.stringify(contentType)},'content-length':b.length});s.end(b)}).listen(0,'127.0.0.1',function(){console.log('port '+this.address().port)})`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout!.once('data', (d: Buffer) => resolve({ url: `http://127.0.0.1:${/port (\d+)/.exec(d.toString())![1]}/`, child })));
}

const fmt = (r: Result): string => `${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms${r.errors || r.non2xx ? `  (errors ${r.errors}, non-2xx ${r.non2xx})` : ''}`;

if (!fs.existsSync(path.join(root, 'dist/server/entry.mjs'))) {
  spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: root, stdio: 'inherit' });
}
const now = Date.now();
console.log(`Kaizen Status benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${DURATION} s per run\n`);

// BENCH_ONLY=export runs only the static export measurements (section 4).
const only = process.env.BENCH_ONLY;
if (only !== 'export') {
// 1. Throughput and latency against the reference.
const content = generateContent({ now, pastIncidents: 1000, openIncidents: 3 });
const server = await startServer({ contentDir: content });
const home = new URL('/', server.url).href;
const bytes = Buffer.from(await (await fetch(home, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
console.log(`/ : ${bytes.length} bytes HTML, ${zlib.gzipSync(bytes, { level: 9 }).length} gzip, ${zlib.brotliCompressSync(bytes).length} brotli (target < 25 KB compressed)`);
const reference = await startReference(bytes, 'text/html');
for (const connections of [50, 200]) {
  const ours = await load(home, connections);
  const ref = await load(reference.url, connections);
  console.log(`${connections} connections  kaizen    ${fmt(ours)}`);
  console.log(`${connections} connections  reference ${fmt(ref)}`);
  console.log(`${connections} connections  ratio ${(ours.rps / ref.rps).toFixed(2)} (target ≥ 0.6; p99 target ≤ 30 ms at 200)\n`);
}

// 2. A write every second during the run; every read after a write must see it.
const admin = await firstAdmin(server, { email: 'bench@example.com' });
const created = await admin.post('/admin/incidents/new', { title: 'Bench write incident', severity: 'P2', message: 'We are investigating write 0.', notify: 'no' });
const incidentPath = created.headers.get('location')!.replace(/\?.*/, '');
let writes = 0;
let stale = 0;
let stop = false;
const writer = (async () => {
  while (!stop) {
    await new Promise((r) => setTimeout(r, 1000));
    if (stop) break;
    const marker = `write-${++writes}-${Date.now()}`;
    await admin.post(incidentPath, { action: 'update', status: 'identified', message: `We have identified the cause as ${marker}.` });
    const html = await (await fetch(home)).text();
    if (!html.includes(marker)) stale++;
  }
})();
const withWrites = await load(home, 50);
stop = true;
await writer;
const refAgain = await load(reference.url, 50, Math.max(3, Math.round(DURATION / 2)));
console.log(`50 connections with a write every second: ${fmt(withWrites)}`);
console.log(`  ratio to reference ${(withWrites.rps / refAgain.rps).toFixed(2)} (target ≥ 0.5); ${writes} writes, ${stale} reads after a write served the old page (target 0)\n`);
reference.child.kill();
await server.stop();
fs.rmSync(content, { recursive: true, force: true });

}

if (!only || only.split(',').includes('minute')) await benchMinute(now, DURATION);
if (!only || only.split(',').includes('instances')) await benchInstances(now, DURATION);
// 3. The archive: 100 to 100,000 past incidents (bench/archive.ts).
if (!only || only.split(',').includes('archive')) await benchArchive(now);

// 4. The static export (STATIC_EXPORT_DIR) at 100 and 10,000 past incidents.
console.log('');
for (const n of [100, 10_000]) await benchExport(now, n);

// 5. Email fan-out and recipient selection (BENCH_ONLY=email for this section alone).
if (!only || only.split(',').includes('email')) await benchEmail();
