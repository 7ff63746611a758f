// docs/deploy.md's systemd unit and env file, checked as far as this machine can: systemd-analyze verify on the
// unit (syntax, known directives, ExecStart present), and the env file through the settings parser.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/lib/server/env.ts';
import { deployDocBlock, substitute } from '../helpers/tls-proxy.ts';

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });

describe('docs/deploy.md', () => {
  it.skipIf(analyze.status !== 0)('the systemd unit passes systemd-analyze verify with no warning', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-unit-'));
    try {
      // Node's path is wherever `command -v node` says (the unit's comment): here, the node running the tests.
      const unit = substitute(deployDocBlock('ini'), [['/usr/local/bin/node', process.execPath]]);
      fs.writeFileSync(path.join(dir, 'kaizen-status.service'), unit);
      const r = spawnSync('systemd-analyze', ['verify', path.join(dir, 'kaizen-status.service')], { encoding: 'utf8' });
      expect({ status: r.status, output: (r.stdout + r.stderr).trim() }).toEqual({ status: 0, output: '' });
      for (const directive of ['User=kaizen-status', 'EnvironmentFile=/etc/kaizen-status/env', 'Restart=on-failure', 'StateDirectory=kaizen-status']) expect(unit).toContain(directive);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the env file is valid settings, trusting the proxy at 127.0.0.1 for an https site', () => {
    const source = Object.fromEntries(deployDocBlock('sh').trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
    const settings = parseEnv(source);
    expect(settings.SITE_URL).toBe('https://status.example.com');
    expect(settings.TRUST_PROXY).toEqual({ kind: 'list', ranges: [{ family: 'ipv4', address: '127.0.0.1', prefix: 32 }] });
    expect(settings.HOST).toBe('127.0.0.1');
  });
});
