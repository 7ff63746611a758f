// Debian's nginx on 127.0.0.1: serving a static copy with the server block docs/static-mirror.md shows, or any
// server blocks a test gives (the TLS proxy of docs/deploy.md).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server.ts';

export { freePort };

export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface RunningNginx {
  url: string;
  port: number;
  get: (p: string, init?: RequestInit) => Promise<Response>;
  stop: () => Promise<void>;
}

/** The server block of docs/static-mirror.md for `root` (the export's symlink), plus exact-path header blocks. */
export function serverBlock(root: string, port: number, headers: Record<string, Record<string, string>> = {}): string {
  const exact = Object.entries(headers).map(([p, h]) => `
    location = ${p} {
${Object.entries(h).map(([k, v]) => `      add_header ${k} "${v.replace(/"/g, '\\"')}" always;`).join('\n')}
      try_files ${p === '/' ? '/index.html' : `${p}.html`} =404;
    }`).join('');
  return `
  server {
    listen 127.0.0.1:${port};
    root ${root};
    index index.html;
    absolute_redirect off;
    error_page 404 /404.html;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;

    # History pages are paths on the copy; old ?page= links are redirected as the live site does.
    location = /history {
      if ($arg_page = "1") { return 301 /history; }
      if ($arg_page ~ "^[1-9][0-9]{0,6}$") { return 301 /history/page/$arg_page; }
      try_files /history.html =404;
    }
    location = /history/page/1 { return 301 /history; }
    location /_astro/ { expires max; add_header Cache-Control "public, max-age=31536000, immutable"; }
    location / { try_files $uri $uri.html $uri/index.html =404; }${exact}
  }`;
}

/** The http {} settings every nginx of the tests shares: everything it writes goes to `dir`. */
function httpConf(dir: string, servers: string): string {
  return `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types {
    text/html html; text/css css; text/javascript js; application/json json; image/svg+xml svg;
    application/atom+xml atom; application/rss+xml rss; text/plain txt;
  }
  default_type application/octet-stream;
  charset utf-8;
  charset_types text/css text/javascript application/json application/atom+xml application/rss+xml text/plain;
${servers}
}
`;
}

/** Runs nginx in the foreground with `servers` until `ready` answers; `stop` ends it and removes its folder. */
async function runNginx(dir: string, servers: string, ready: () => Promise<unknown>): Promise<() => Promise<void>> {
  fs.writeFileSync(path.join(dir, 'nginx.conf'), httpConf(dir, servers));
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${out}\n${fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`);
    try {
      await ready();
      break;
    } catch {
      if (Date.now() - started > 20_000) throw new Error(`nginx did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** Starts nginx in the foreground with its pid, logs and temp files in a folder of its own. */
export async function startNginx(root: string, options: { headers?: Record<string, Record<string, string>>; port?: number } = {}): Promise<RunningNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-nginx-'));
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const stop = await runNginx(dir, serverBlock(root, port, options.headers), () => fetch(url));
  return { url, port, get: (p, init) => fetch(new URL(p, url), { redirect: 'manual', ...init }), stop };
}

/** Starts nginx with the given server blocks (`conf(dir)` may put files in nginx's folder), ready once `port` accepts. */
export async function startNginxWith(conf: (dir: string) => string, port: number): Promise<{ dir: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-nginx-'));
  const stop = await runNginx(dir, conf(dir), () => new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(); });
    socket.once('error', reject);
  }));
  return { dir, stop };
}
