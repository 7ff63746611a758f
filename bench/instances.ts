// Instances on one PostgreSQL database (BENCH_ONLY=instances): 1, 2 and 3 built servers behind Debian's nginx
// (upstream, round robin, one port), their throughput with wrk; then how long an admin post on one instance takes
// to show on the other two, each polled directly.
import fs from 'node:fs';
import os from 'node:os';
import { firstAdmin } from '../test/helpers/admin-client.ts';
import { freePort, startNginxWith } from '../test/helpers/nginx.ts';
import { createTestDatabase } from '../test/helpers/postgres.ts';
import { startServer, type RunningServer } from '../test/helpers/server.ts';
import { generateContent } from './generate-content.ts';
import { fmtCpu, measureCpu } from './cpu-usage.ts';
import { fmtWrk, wrk } from './wrk-load.ts';

const WRITES = Number(process.env.BENCH_PROPAGATION_WRITES ?? 10);

/** nginx in front of `upstreams`, round robin, keeping connections to them open. */
async function roundRobin(upstreams: readonly RunningServer[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const servers = upstreams.map((s) => `    server ${new URL(s.url).host};`).join('\n');
  const nginx = await startNginxWith(() => `
  upstream kaizen {
${servers}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://kaizen;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_buffers 16 64k;
    }
  }`, port);
  return { url: `http://127.0.0.1:${port}/`, stop: nginx.stop };
}

/** Polls `server`'s `/` until it shows `marker`; milliseconds from `since`. */
async function shows(server: RunningServer, marker: string, since: number): Promise<number> {
  for (;;) {
    const html = await (await server.get('/')).text();
    if (html.includes(marker)) return performance.now() - since;
    if (performance.now() - since > 30_000) return Infinity;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function benchInstances(now: number, seconds: number): Promise<void> {
  const database = await createTestDatabase('kz_bench_instances');
  const content = generateContent({ now, pastIncidents: 1000, openIncidents: 3 });
  const instances: RunningServer[] = [];
  try {
    for (let i = 0; i < 3; i++) instances.push(await startServer({ contentDir: content, env: { DATABASE_URL: database.url } }));
    for (const s of instances) await s.get('/').then((r) => r.text());
    console.log(`Instances on one PostgreSQL database behind nginx (round robin), wrk 50 connections, \`/\`; ${os.cpus().length} cores on this machine`);
    const direct = await wrk(instances[0]!.url, { seconds });
    console.log(`  1 instance, no proxy   ${fmtWrk(direct)}`);
    let one = 0;
    for (const n of [1, 2, 3]) {
      const proxy = await roundRobin(instances.slice(0, n));
      try {
        const pids = instances.slice(0, n).map((s) => s.process.pid!);
        const { result: r, usage } = await measureCpu({ [n === 1 ? 'the instance' : 'instances']: pids }, () => wrk(proxy.url, { seconds }));
        if (n === 1) one = r.rps;
        console.log(`  ${n} instance${n > 1 ? 's' : ' '} via nginx  ${fmtWrk(r)}  ×${(r.rps / one).toFixed(2)} of one (target: scales up to ${os.cpus().length} cores)`);
        // Whether more instances could have had more CPU: on 2 cores wrk and nginx take a share of the same ones.
        console.log(`      ${fmtCpu(usage, 'wrk, nginx')}`);
      } finally {
        await proxy.stop();
      }
    }

    // Propagation: a post on A, then B and C polled directly until their `/` shows it.
    const [a, b, c] = instances as [RunningServer, RunningServer, RunningServer];
    const admin = await firstAdmin(a, { output: c.output(), email: 'bench@example.com' });
    const created = await admin.post('/admin/incidents/new', { title: 'Propagation bench', severity: 'P3', message: 'We are investigating write 0.', notify: 'no' });
    const incident = created.headers.get('location')!.replace(/\?.*/, '');
    const worst: number[] = [];
    for (let i = 1; i <= WRITES; i++) {
      // Spread over the poll's second, so the writes do not all land at the same point of it.
      await new Promise((r) => setTimeout(r, 300 + ((i * 137) % 700)));
      const marker = `propagation-${i}-${Date.now()}`;
      const r = await admin.post(incident, { action: 'update', status: 'identified', message: `We have identified ${marker}.` });
      const since = performance.now();
      if (r.status !== 303) throw new Error(`update failed: ${r.status}`);
      const [tb, tc] = await Promise.all([shows(b, marker, since), shows(c, marker, since)]);
      worst.push(Math.max(tb, tc));
    }
    console.log(`  a post on A shown on B and C (polled directly, ${WRITES} writes): median ${median(worst).toFixed(0)} ms, max ${Math.max(...worst).toFixed(0)} ms (target ≤ 1500 ms)\n`);
  } finally {
    await Promise.all(instances.map((s) => s.stop()));
    fs.rmSync(content, { recursive: true, force: true });
    await database.drop();
  }
}
