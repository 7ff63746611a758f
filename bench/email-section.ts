// Section "email" of npm run bench: the fan-out (bench/email.ts, its own process so its RSS is the worker's) and
// recipient selection for per-component subscribers against subscribers of everything. Prints; asserts nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../src/lib/server/db/migrate.ts';
import { recipientPages } from '../src/lib/server/email/recipient-pages.ts';

const root = path.resolve(import.meta.dirname, '..');
const node = [process.execPath, '--experimental-strip-types', '--no-warnings=ExperimentalWarning'] as const;

/** Milliseconds to select the recipients of news about component c0, best of `runs`, from a database of `count` subscribers. */
export async function selectionMs(count: number, components: number, runs: number): Promise<{ ms: number; selected: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-select-'));
  const file = path.join(dir, 'status.db');
  const db = openDb(file);
  await migrateToLatest(db);
  const seeded = spawnSync(node[0], [...node.slice(1), path.join(root, 'bench/email-seed.ts'), file, String(count), ...(components > 0 ? [String(components)] : [])], { stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('seeding subscribers failed');
  let best = Infinity;
  let selected = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    selected = 0;
    for await (const page of recipientPages(db, ['c0'])) selected += page.length;
    best = Math.min(best, performance.now() - t0);
  }
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  return { ms: best, selected };
}

export async function benchEmail(): Promise<void> {
  const count = Number(process.env.BENCH_EMAILS ?? 100_000);
  console.log('');
  spawnSync(node[0], [...node.slice(1), path.join(root, 'bench/email.ts')], { stdio: 'inherit', env: { ...process.env, BENCH_EMAILS: String(count), RESEND_RATE_LIMIT: process.env.RESEND_RATE_LIMIT ?? '20' } });
  const everything = await selectionMs(count, 0, 5);
  const spread = await selectionMs(count, 20, 5);
  console.log(`Recipient selection, ${count.toLocaleString('en')} confirmed subscribers, news about one component (SQLite, keyset pages of the (state, id) index):`);
  console.log(`  all subscribe to every component: ${everything.ms.toFixed(0)} ms for ${everything.selected.toLocaleString('en')} recipients`);
  console.log(`  spread over 20 components:        ${spread.ms.toFixed(0)} ms for ${spread.selected.toLocaleString('en')} recipients; ratio ${(spread.ms / everything.ms).toFixed(2)} (target ≤ 2)`);
}
