// Seeds N confirmed subscribers into a SQLite file for bench/email.ts, in its own process so the worker's RSS
// does not include the seeding. Usage: email-seed.ts <file> <count> [components]: with a components count k,
// the subscribers are spread evenly over components c0 … c<k-1>, one each; without it they follow every component.
import { openDb } from '../src/lib/server/db/connection.ts';
import { seedSubscribers } from '../test/helpers/email-db.ts';

const [file, count, spread] = process.argv.slice(2);
const db = openDb(file!);
const n = Number(count);
const k = spread ? Number(spread) : 0;
const step = 10_000;
for (let from = 0; from < n; from += step) {
  const size = Math.min(step, n - from);
  if (k === 0) await seedSubscribers(db, size, { prefix: `user${from}-` });
  else for (let c = 0; c < k; c++) await seedSubscribers(db, Math.floor(size / k) + (c < size % k ? 1 : 0), { prefix: `c${c}-${from}-`, components: [`c${c}`] });
}
await db.destroy();
