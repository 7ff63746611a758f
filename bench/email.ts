// npm run bench:email: enqueue 100,000 notifications, deliver them through the worker to a fake Resend holding
// 20 requests/second, and print enqueue time, delivery time against the rate limit's floor, and memory.
// Subscribers are seeded by a child process, so this process's RSS is the worker's own. Prints numbers; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { startDeliveryLoop } from '../src/lib/server/email/delivery-loop.ts';
import { resendSender } from '../src/lib/server/email/resend-client.ts';
import { drained, emailTestDb, enqueueIncident, outboxStates } from '../test/helpers/email-db.ts';

const COUNT = Number(process.env.BENCH_EMAILS ?? 100_000);
const RATE = Number(process.env.RESEND_RATE_LIMIT ?? 20);
const root = path.resolve(import.meta.dirname, '..');
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const fakeProcess = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', path.join(root, 'bench/fake-resend-server.ts'), String(RATE)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines: string[] = [];
let waiting: ((line: string) => void) | null = null;
let buffered = '';
fakeProcess.stdout!.on('data', (d: Buffer) => {
  buffered += d.toString();
  let i: number;
  while ((i = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, i);
    buffered = buffered.slice(i + 1);
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(line);
    } else lines.push(line);
  }
});
const nextLine = (): Promise<string> => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise((r) => { waiting = r; }));
process.env.RESEND_BASE_URL = /^url (\S+)/.exec(await nextLine())![1]!;

const t = await emailTestDb();
const seeded = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', path.join(root, 'bench/email-seed.ts'), t.file, String(COUNT)], { stdio: 'inherit' });
if (seeded.status !== 0) throw new Error('seeding subscribers failed');
console.error(`email bench: ${COUNT} subscribers seeded`);
const rssBefore = process.memoryUsage().rss;

let peakRss = process.memoryUsage().rss;
let peakHeap = process.memoryUsage().heapUsed;
const sample = (): void => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
// better-sqlite3 is synchronous: the enqueue is sampled once it returns, delivery every 100 ms.
const sampler = setInterval(sample, 100);
const e0 = performance.now();
const enqueued = await enqueueIncident(t.db);
const enqueueMs = performance.now() - e0;
sample();
console.error(`email bench: ${enqueued} enqueued in ${enqueueMs.toFixed(0)} ms; delivering`);
const d0 = performance.now();
const loop = startDeliveryLoop({ db: t.db, sender: resendSender('re_bench_key', 30_000), from: 'Bench <status@bench.test>', ratePerSecond: RATE, log: (l) => console.error(l) });
await drained(t.db, 10 * 60_000);
const deliveryMs = performance.now() - d0;
clearInterval(sampler);
await loop.stop();

fakeProcess.stdin!.write('report\n');
const fake = JSON.parse(await nextLine()) as { calls: number; accepted: number; rateLimited: number; delivered: number; addresses: number; duplicates: number };
fakeProcess.kill();
const states = await outboxStates(t.db);
await t.cleanup();

const calls = Math.ceil(COUNT / 100);
const floorMs = (calls / RATE) * 1000;
console.log(`Email benchmark: ${COUNT.toLocaleString('en')} notifications, RESEND_RATE_LIMIT=${RATE}, Node ${process.version}, SQLite`);
console.log(`  enqueue (one transaction, ${enqueued.toLocaleString('en')} outbox rows): ${enqueueMs.toFixed(0)} ms (target < 5000 ms)`);
const strictMs = ((calls - 1) / RATE) * 1000;
const diff = ((deliveryMs - floorMs) / floorMs) * 100;
console.log(`  delivery (enqueued → last email recorded sent): ${(deliveryMs / 1000).toFixed(2)} s for ${fake.accepted} batch calls`);
console.log(`  floor: ${calls} calls at ${RATE}/s = ${(floorMs / 1000).toFixed(1)} s (strictly ${(strictMs / 1000).toFixed(1)} s between the first call and the last); delivery is ${diff >= 0 ? `${diff.toFixed(1)} % above` : `${(-diff).toFixed(1)} % below`} it (target within 5 %)`);
console.log(`  fake Resend: ${fake.calls} calls, ${fake.rateLimited} answered 429, ${fake.delivered} emails delivered to ${fake.addresses} addresses, ${fake.duplicates} duplicates`);
console.log(`  outbox: ${JSON.stringify(states)}`);
console.log(`  memory: RSS ${mb(rssBefore)} before enqueue, peak ${mb(peakRss)} while enqueueing and delivering (target < 250 MB; peak V8 heap in use ${mb(peakHeap)})`);
