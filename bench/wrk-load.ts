// One wrk run (Debian's, written in C, so the load generator is not what saturates first), read back exactly:
// a Lua `done` hook prints requests, duration, errors and latency percentiles as JSON.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const WRK = process.env.WRK_PATH ?? '/usr/bin/wrk';

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** Socket errors and non-2xx/3xx answers. */
  errors: number;
}

const script = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

let scriptDir: string | null = null;
/** The Lua file wrk runs: the caller's request script (a path, or none) followed by the `done` hook. */
const scriptFiles = new Map<string, string>();

function scriptFor(requestScript: string | undefined): string {
  let file = scriptFiles.get(requestScript ?? '');
  if (!file) {
    scriptDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-wrk-'));
    file = path.join(scriptDir, `run-${scriptFiles.size}.lua`);
    fs.writeFileSync(file, `${requestScript ? fs.readFileSync(requestScript, 'utf8') : ''}\n${script}`);
    scriptFiles.set(requestScript ?? '', file);
  }
  return file;
}

/**
 * wrk against `url` for `seconds` (whole seconds, at least 1) with `connections` over two threads; `headers` on every
 * request, `script` a Lua file with wrk's request hooks (its `done` is this module's).
 */
export async function wrk(url: string, options: { seconds: number; connections?: number; threads?: number; headers?: Record<string, string>; script?: string }): Promise<WrkResult> {
  const connections = options.connections ?? 50;
  const threads = Math.min(options.threads ?? 2, connections);
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${Math.max(1, Math.round(options.seconds))}s`, '--timeout', '10s', '-s', scriptFor(options.script)];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(url);
  const child = spawn(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const m = /WRK_JSON (\{.*\})/.exec(out);
  if (code !== 0 || !m) throw new Error(`wrk ${args.join(' ')} exited with ${code}:\n${out}`);
  const j = JSON.parse(m[1]!) as { requests: number; duration_us: number; p50_us: number; p99_us: number; max_us: number; errors: number };
  const seconds = j.duration_us / 1e6;
  return { requests: j.requests, seconds, rps: j.requests / seconds, p50: j.p50_us / 1000, p99: j.p99_us / 1000, max: j.max_us / 1000, errors: j.errors };
}

export const fmtWrk = (r: WrkResult): string =>
  `${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(5)} ms  p99 ${r.p99.toFixed(1).padStart(5)} ms${r.errors ? `  (errors ${r.errors})` : ''}`;
