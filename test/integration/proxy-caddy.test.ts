// Debian's Caddy, when installed, in front of the built server with the site block of docs/deploy.md (the site
// address, upstream port and a test certificate put in; admin endpoint and certificate automation off).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { describeBehindProxy } from '../helpers/proxy-suite.ts';
import { freePort } from '../helpers/server.ts';
import { deployDocBlock, selfSignedCertificate, substitute } from '../helpers/tls-proxy.ts';

const CADDY = process.env.CADDY_PATH ?? '/usr/bin/caddy';

/** True once something accepts connections on the port. */
const accepts = (port: number): Promise<boolean> => new Promise((resolve) => {
  const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
  socket.once('error', () => resolve(false));
});

if (!fs.existsSync(CADDY)) {
  describe('behind Caddy', () => it.skip('needs Debian\'s caddy (apt-get install caddy)', () => {}));
} else {
  describeBehindProxy('Caddy', async (publicPort, appPort) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-caddy-'));
    const cert = selfSignedCertificate(dir);
    const redirectPort = await freePort();
    const site = substitute(deployDocBlock('caddyfile'), [
      ['status.example.com {', `https://127.0.0.1:${publicPort} {\n  tls ${cert.certFile} ${cert.keyFile}`],
      ['reverse_proxy 127.0.0.1:4321', `reverse_proxy 127.0.0.1:${appPort}`],
    ]);
    const global = `{\n  admin off\n  http_port ${redirectPort}\n  https_port ${publicPort}\n  default_sni 127.0.0.1\n  skip_install_trust\n  storage file_system ${dir}/data\n}\n`;
    fs.writeFileSync(path.join(dir, 'Caddyfile'), global + site);
    const child: ChildProcess = spawn(CADDY, ['run', '--adapter', 'caddyfile', '--config', path.join(dir, 'Caddyfile')], {
      env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const started = Date.now();
    while (!(await accepts(publicPort))) {
      if (child.exitCode !== null) throw new Error(`caddy exited with ${child.exitCode}:\n${out}`);
      if (Date.now() - started > 20_000) throw new Error(`caddy did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      url: `https://127.0.0.1:${publicPort}`,
      ca: cert.pem,
      redirectPort,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}
