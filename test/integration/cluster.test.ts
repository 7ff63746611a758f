// WEB_CONCURRENCY=2 (decision record 022): two worker processes on one port. A write answered by either is seen by
// every read that starts after its response, on both workers; tracking query strings share the one cache entry
// in each; the background jobs run once (one email, sent once); stopping the server stops every worker.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../helpers/admin-client.ts';
import { emailEnv, firstAdmin, linkPath, outboxIdle, postForm } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let admin: AdminClient;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake, { WEB_CONCURRENCY: '2' }) });
  admin = await firstAdmin(server);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

/** A GET on a connection of its own, so the primary hands it to its next worker in turn. */
function freshGet(pathAndQuery: string, agent: http.Agent | false = false): Promise<{ status: number; body: string; worker: string; cache: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path: pathAndQuery, agent, headers: { 'accept-encoding': 'identity' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body, worker: String(res.headers['x-worker']), cache: String(res.headers['x-cache']) }));
    }).on('error', reject);
  });
}

/** The worker processes: the children of the process the test started. */
function workerPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(server.process.pid)], { encoding: 'utf8' });
  return out.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
}

describe('two worker processes', () => {
  it('says once that it listens and prints the setup link once', () => {
    expect(server.output().match(/listening on/g)).toHaveLength(1);
    expect(server.output()).toContain('(2 worker processes)');
    expect(server.output().match(/Create the first one/g)).toHaveLength(1);
    expect(workerPids()).toHaveLength(2);
  });

  it('answers 10,000 distinct tracking query strings from one cache entry per worker', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    // Warm: each worker has rendered / (both answer from memory).
    await eventually(async () => {
      const reads = await Promise.all(Array.from({ length: 4 }, () => freshGet('/')));
      expect(reads.map((r) => r.cache)).toEqual(['hit', 'hit', 'hit', 'hit']);
    }, 30_000);
    let next = 0;
    const notHit: string[] = [];
    const workers = new Set<string>();
    const startMinute = Math.floor(Date.now() / 60_000);
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < 10_000) {
        const i = next++;
        const r = await freshGet(`/?utm_source=campaign-${i}&utm_medium=chat&utm_campaign=c${i % 97}`, agent);
        workers.add(r.worker);
        if (r.status !== 200 || r.cache !== 'hit') notHit.push(`${i}: ${r.status} ${r.cache}`);
      }
    }));
    agent.destroy();
    const minutesCrossed = Math.floor(Date.now() / 60_000) - startMinute;
    // A minute boundary re-renders / once per worker; the requests waiting on that render count as misses.
    expect(notHit.length).toBeLessThanOrEqual(minutesCrossed * 8 * 2);
    expect(workers.size).toBe(2);
  }, 180_000);

  it('never serves the old page after a write, on either worker (20 writes, 8 reads each on fresh connections)', async () => {
    const created = await admin.post('/admin/incidents/new', { title: 'Cluster write check', severity: 'P2', message: 'We are investigating write 0.', notify: 'no' });
    expect(created.status).toBe(303);
    const incidentPath = created.headers.get('location')!.replace(/\?.*/, '');
    // Both workers hold / in their cache before the writes.
    for (let i = 0; i < 4; i++) expect((await freshGet('/')).status).toBe(200);
    const workers = new Set<string>();
    const stale: string[] = [];
    for (let n = 1; n <= 20; n++) {
      const marker = `cluster-marker-${n}-${Math.random().toString(36).slice(2)}`;
      const r = await admin.post(incidentPath, { action: 'update', status: 'identified', message: `We have identified the cause as ${marker}.` });
      expect(r.status).toBe(303);
      const reads = await Promise.all(Array.from({ length: 8 }, () => freshGet('/?utm_source=chat')));
      for (const read of reads) {
        workers.add(read.worker);
        if (!read.body.includes(marker)) stale.push(`write ${n}: worker ${read.worker} (${read.cache})`);
      }
    }
    expect(stale).toEqual([]);
    expect([...workers].sort()).toEqual(['1', '2']);
  }, 120_000);

  it('runs the background jobs once: a subscriber confirmed through either worker gets one email per incident', async () => {
    const email = 'cluster-reader@example.com';
    const r = await postForm(server, '/subscribe', [['email', email]]);
    expect(r.status).toBe(200);
    await eventually(async () => expect(fake.deliveredTo(email)).toHaveLength(1), 30_000);
    const confirm = linkPath(fake.deliveredTo(email)[0]!, '/subscribe/confirm/');
    expect((await postForm(server, confirm, [])).status).toBe(200);
    const created = await admin.post('/admin/incidents/new', { title: 'Cluster email once', severity: 'P2', message: 'We are investigating a cluster check.', notify: 'yes' });
    expect(created.status).toBe(303);
    await eventually(async () => expect(fake.deliveredTo(email).filter((m) => m.subject.includes('Cluster email once'))).toHaveLength(1), 60_000);
    await outboxIdle(server);
    expect(fake.deliveredTo(email).filter((m) => m.subject.includes('Cluster email once'))).toHaveLength(1);
    // The confirmation too was sent once.
    expect(fake.deliveredTo(email).filter((m) => m.subject.startsWith('Confirm your subscription'))).toHaveLength(1);
  }, 120_000);

  it('stops every worker when the server is stopped', async () => {
    const pids = workerPids();
    expect(pids).toHaveLength(2);
    await server.stop();
    for (const pid of pids) {
      await eventually(async () => expect(() => process.kill(pid, 0)).toThrow(), 10_000);
    }
  }, 30_000);
});
