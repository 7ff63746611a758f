// Starts the real built server (npm start's script) on a free port with its own content and database.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  get: (p: string, init?: RequestInit) => Promise<Response>;
  stop: () => Promise<void>;
}

/**
 * `dataDir`: reuse a data folder (and its status.db), e.g. to restart a killed server on the same database;
 * the caller then owns it and `stop()` leaves it in place.
 */
export async function startServer(options: { contentDir: string; env?: Record<string, string>; dataDir?: string }): Promise<RunningServer> {
  const ownsData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-data-'));
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', path.join(root, 'src/cli/start.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        SKIP_BUILD: '1',
        HOST: '127.0.0.1',
        PORT: '0',
        CONTENT_DIR: options.contentDir,
        DATABASE_URL: path.join(dataDir, 'status.db'),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: on a machine busy with other work, loading the bundle and migrating can take many seconds.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const check = (): void => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    process: child,
    output: () => out,
    get: (p, init) => fetch(new URL(p, url), { redirect: 'manual', ...init }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownsData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` passes or the time runs out; returns how long it took. */
export async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  let last: unknown;
  while (Date.now() - start < timeoutMs) {
    try {
      await check();
      return Date.now() - start;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw last;
}

/** A port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Settings that serve the site at its public URL (SITE_URL is the address the test browses), as in production:
 * the subscribe form's script then knows it is on the live site and makes no requests.
 */
export async function atPublicUrl(): Promise<Record<string, string>> {
  const port = await freePort();
  return { PORT: String(port), SITE_URL: `http://127.0.0.1:${port}` };
}
