// The fake Resend in its own process for `npm run bench:email`, so its memory is not counted as the worker's.
// Prints "url <url>"; answers any line on stdin with a JSON summary of what it received.
import { startFakeResend } from '../test/helpers/fake-resend.ts';

const fake = await startFakeResend({ rateLimit: Number(process.argv[2] ?? 2), keepBodies: false });
console.log(`url ${fake.url}`);
process.stdin.on('data', () => {
  const perAddress = new Map<string, number>();
  for (const e of fake.delivered) for (const to of e.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
  console.log(JSON.stringify({
    calls: fake.calls.length,
    accepted: fake.acceptedCalls().length,
    rateLimited: fake.calls.filter((c) => c.status === 429).length,
    delivered: fake.delivered.length,
    addresses: perAddress.size,
    duplicates: [...perAddress.values()].filter((n) => n > 1).length,
    firstCallAt: fake.calls[0]?.at ?? null,
    lastCallAt: fake.calls.at(-1)?.at ?? null,
  }));
});
