// npm run bench, section "http" (issue 16): our clustered server against Debian's nginx sending the same bytes
// from a file, with wrk (C) so the load generator is not the bottleneck; runs alternate in one process so both
// see the same machine. Then / with 10,000 distinct tracking query strings against plain /, and a write every
// second during a run (every read after a write, on whichever worker, must see it). Prints; asserts nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { firstAdmin } from '../test/helpers/admin-client.ts';
import { freePort, startServer } from '../test/helpers/server.ts';
import { generateContent } from './generate-content.ts';
import { fmtWrk, wrk, type WrkResult } from './wrk-load.ts';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const fmt = fmtWrk;
const mean = (rs: WrkResult[]): number => rs.reduce((a, r) => a + r.rps, 0) / rs.length;

/** nginx as Debian ships it (one worker per core), serving `body` at / from a file with our page's headers. */
async function startNginx(body: Buffer, headers: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-bench-nginx-'));
  fs.mkdirSync(path.join(dir, 'www'));
  fs.writeFileSync(path.join(dir, 'www/index.html'), body);
  // The gzip copy beside it (gzip_static), as our cache keeps one; Debian's nginx has no brotli module.
  fs.writeFileSync(path.join(dir, 'www/index.html.gz'), zlib.gzipSync(body, { level: 9 }));
  // nginx's workers run as an unprivileged user when started by root: they must be able to read the copy.
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(path.join(dir, 'www'), 0o755);
  const port = await freePort();
  const add = Object.entries(headers).map(([k, v]) => `      add_header ${k} "${v.replace(/"/g, '\\"')}";`).join('\n');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `
daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { text/html html; }
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location = / {
      gzip_static on;
${add}
      try_files /index.html =404;
    }
  }
}
`);
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
    if (await fetch(url).then((r) => r.ok, () => false)) break;
    if (i > 400) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * wrk scripts with the same per-request Lua cost: `tracked` asks / with its own utm_source each time (10,000
 * distinct across both threads, then again); `plain` asks plain / through the same function, so the ratio
 * measures the server, not wrk's Lua.
 */
function wrkScripts(): { tracked: string; plain: string } {
  const plain = path.join(os.tmpdir(), `kaizen-bench-plain-${process.pid}.lua`);
  fs.writeFileSync(plain, `
local i = 0
function request()
  i = (i + 1) % 5000
  return wrk.format("GET", "/")
end
`);
  const file = path.join(os.tmpdir(), `kaizen-bench-utm-${process.pid}.lua`);
  fs.writeFileSync(file, `
local threads = 0
function setup(thread)
  thread:set("offset", threads * 5000)
  threads = threads + 1
end
local i = 0
function request()
  i = (i + 1) % 5000
  return wrk.format("GET", "/?utm_source=campaign-" .. (offset + i) .. "&utm_medium=chat&utm_campaign=incident")
end
`);
  return { tracked: file, plain };
}

/** One GET on a fresh connection (so the cluster hands it to its next worker); the body and the worker's number. */
function freshGet(url: string): Promise<{ body: string; worker: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false, headers: { 'accept-encoding': 'identity' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ body, worker: String(res.headers['x-worker'] ?? '-') }));
    }).on('error', reject);
  });
}

export async function benchHttp(now: number): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const workers = process.env.BENCH_WORKERS ?? String(os.availableParallelism());
  const content = generateContent({ now, pastIncidents: 1000, openIncidents: 3 });
  const server = await startServer({ contentDir: content, env: { WEB_CONCURRENCY: workers } });
  const home = new URL('/', server.url).href;
  const first = await fetch(home, { headers: { 'accept-encoding': 'identity' } });
  const bytes = Buffer.from(await first.arrayBuffer());
  const same = ['content-type', 'cache-control', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'permissions-policy', 'vary'];
  // nginx sends its own ETag and Content-Type for the file.
  const headers = Object.fromEntries(same.flatMap((h) => (first.headers.get(h) && h !== 'content-type' ? [[h, first.headers.get(h)!]] : [])));
  console.log(`http: / is ${bytes.length} bytes HTML, ${zlib.gzipSync(bytes, { level: 9 }).length} gzip, ${zlib.brotliCompressSync(bytes).length} brotli; ${workers} worker processes; wrk -t2 -c50 -d${seconds}s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const nginx = await startNginx(bytes, headers);

  // Warm-up, not reported: each worker renders / and compiles its hot paths; nginx fills its page cache.
  await wrk(home, { seconds: 2 });
  await wrk(nginx.url, { seconds: 2 });
  // 1. Plain /, uncompressed, then gzip-accepting: ours, nginx, ours, nginx.
  for (const [label, h] of [['identity', {}], ['gzip', { 'Accept-Encoding': 'gzip' }]] as const) {
    const ours: WrkResult[] = [];
    const theirs: WrkResult[] = [];
    for (let round = 0; round < 2; round++) {
      ours.push(await wrk(home, { seconds, headers: h }));
      console.log(`  ${label.padEnd(8)} kaizen ${fmt(ours.at(-1)!)}`);
      theirs.push(await wrk(nginx.url, { seconds, headers: h }));
      console.log(`  ${label.padEnd(8)} nginx  ${fmt(theirs.at(-1)!)}`);
    }
    console.log(`  ${label.padEnd(8)} ratio kaizen / nginx ${(mean(ours) / mean(theirs)).toFixed(2)}${label === 'identity' ? ' (target ≥ 0.5)' : ''}\n`);
  }
  const br = await wrk(home, { seconds, headers: { 'Accept-Encoding': 'br, gzip' } });
  console.log(`  br       kaizen ${fmt(br)} (nginx: no brotli module in Debian's package)\n`);
  await nginx.stop();

  // 2. Tracking query strings: 10,000 distinct utm_source values against plain /, alternating.
  const scripts = wrkScripts();
  const plain: WrkResult[] = [];
  const tracked: WrkResult[] = [];
  const before = await fetch(new URL('/?utm_source=probe-before', home)).then((r) => r.headers.get('x-cache'));
  for (let round = 0; round < 2; round++) {
    plain.push(await wrk(home, { seconds, script: scripts.plain }));
    console.log(`  /                 ${fmt(plain.at(-1)!)}`);
    tracked.push(await wrk(home, { seconds, script: scripts.tracked }));
    console.log(`  /?utm_source=…    ${fmt(tracked.at(-1)!)}`);
  }
  console.log(`  ratio tracked / plain ${(mean(tracked) / mean(plain)).toFixed(2)} (target ≥ 0.8); a tracked link after warm-up: X-Cache ${before}\n`);

  // 3. A write every second during a run: after each, reads on fresh connections (every worker) must show it.
  const admin = await firstAdmin(server, { email: 'bench@example.com' });
  const created = await admin.post('/admin/incidents/new', { title: 'Bench write incident', severity: 'P2', message: 'We are investigating write 0.', notify: 'no' });
  const incidentPath = created.headers.get('location')!.replace(/\?.*/, '');
  let writes = 0;
  let reads = 0;
  let stale = 0;
  const seen = new Set<string>();
  let stop = false;
  const writer = (async () => {
    while (!stop) {
      await new Promise((r) => setTimeout(r, 1000));
      if (stop) break;
      const marker = `write-${++writes}-${Date.now()}`;
      await admin.post(incidentPath, { action: 'update', status: 'identified', message: `We have identified the cause as ${marker}.` });
      for (let i = 0; i < 4; i++) {
        const r = await freshGet(home);
        reads++;
        seen.add(r.worker);
        if (!r.body.includes(marker)) stale++;
      }
    }
  })();
  const withWrites = await wrk(home, { seconds, script: scripts.plain });
  stop = true;
  await writer;
  console.log(`  with a write every second ${fmt(withWrites)}; ratio to plain ${(withWrites.rps / mean(plain)).toFixed(2)}`);
  console.log(`  ${writes} writes, ${reads} reads after them on workers ${[...seen].sort().join(', ')}: ${stale} served the old page (target 0)\n`);
  for (const f of Object.values(scripts)) fs.rmSync(f, { force: true });
  await server.stop();
  fs.rmSync(content, { recursive: true, force: true });
}
