// The minute boundary (BENCH_ONLY=minute): every cached page's version moves each minute, so at the boundary
// every key misses at once. wrk runs back to back in 1-second slices, so each slice has its own p99 and the
// slices around a boundary can be told from the others; the same slices within one minute are the baseline.
// BENCH_MINUTE_SECONDS (default 180) shortens the spanning run for a quick look (keep it above 60).
import fs from 'node:fs';
import { startServer } from '../test/helpers/server.ts';
import { generateContent } from './generate-content.ts';
import { fmtWrk, wrk, type WrkResult } from './wrk-load.ts';

const MINUTE = 60_000;

interface Slice extends WrkResult { start: number; end: number }

async function slices(url: string, count: number): Promise<Slice[]> {
  const out: Slice[] = [];
  for (let i = 0; i < count; i++) {
    const start = Date.now();
    const r = await wrk(url, { seconds: 1, connections: 50 });
    out.push({ ...r, start, end: Date.now() });
  }
  return out;
}

function total(s: readonly Slice[]): WrkResult {
  const requests = s.reduce((n, x) => n + x.requests, 0);
  const seconds = s.reduce((n, x) => n + x.seconds, 0);
  const sorted = (k: 'p50' | 'p99'): number[] => s.map((x) => x[k]).sort((a, b) => a - b);
  const median = (xs: number[]): number => xs[Math.floor(xs.length / 2)] ?? 0;
  return { requests, seconds, rps: requests / seconds, p50: median(sorted('p50')), p99: median(sorted('p99')), max: Math.max(...s.map((x) => x.max)), errors: s.reduce((n, x) => n + x.errors, 0) };
}

/** A slice "at the boundary" holds a minute boundary, or starts within a second after one. */
const atBoundary = (s: Slice): boolean => Math.floor(s.start / MINUTE) !== Math.floor(s.end / MINUTE) || s.start % MINUTE < 1000;

export async function benchMinute(now: number, baseSeconds: number): Promise<void> {
  const spanSeconds = Number(process.env.BENCH_MINUTE_SECONDS ?? 180);
  const withinSeconds = Math.max(3, Math.min(baseSeconds, 45));
  const content = generateContent({ now, pastIncidents: 1000, openIncidents: 3 });
  const server = await startServer({ contentDir: content });
  const home = new URL('/', server.url).href;
  try {
    await server.get('/').then((r) => r.text());
    console.log(`Minute boundary: wrk, 50 connections, \`/\` (1,000 past incidents), 1-second slices back to back`);

    // Within one minute: start just after a boundary so all slices fit before the next one.
    const intoMinute = Date.now() % MINUTE;
    const wait = intoMinute < 2000 ? 2000 - intoMinute : intoMinute + (withinSeconds + 3) * 1000 > MINUTE ? MINUTE - intoMinute + 2000 : 0;
    await new Promise((r) => setTimeout(r, wait));
    const within = total(await slices(home, withinSeconds));
    console.log(`  ${String(withinSeconds).padStart(3)} s within one minute       ${fmtWrk(within)}`);

    const span = await slices(home, spanSeconds);
    const all = total(span);
    const boundary = span.filter(atBoundary);
    const away = total(span.filter((s) => !atBoundary(s)));
    const worst = boundary.reduce((m, s) => Math.max(m, s.p99), 0);
    console.log(`  ${String(spanSeconds).padStart(3)} s spanning ${Math.floor(span.at(-1)!.end / MINUTE) - Math.floor(span[0]!.start / MINUTE)} minute boundaries ${fmtWrk(all)}`);
    console.log(`  throughput ratio spanning/within ${(all.rps / within.rps).toFixed(2)} (target ≥ 0.90)`);
    for (const s of boundary) console.log(`  slice at ${new Date(s.start).toISOString().slice(11, 19)}–${new Date(s.end).toISOString().slice(11, 19)}: ${fmtWrk(s)}`);
    console.log(`  p99 at the boundary (worst slice) ${worst.toFixed(1)} ms vs ${away.p99.toFixed(1)} ms away (median slice): ratio ${(worst / away.p99).toFixed(2)} (target ≤ 2)\n`);
  } finally {
    await server.stop();
    fs.rmSync(content, { recursive: true, force: true });
  }
}
