// The Node floor: package.json's engines names it, every npm script that needs it checks it first, and an old
// Node gets one line naming the running and the required version.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeSatisfies, nodeVersionProblem, requiredNode } from '../../src/cli/node-check.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const floor: string = requiredNode(pkg.engines.node);

/** Runs `npm run <script>` with process.versions.node faked to `version` in every node process npm starts. */
function npmRunAs(version: string, script: string): { status: number | null; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-node-'));
  const fake = path.join(dir, 'fake-version.mjs');
  fs.writeFileSync(fake, `Object.defineProperty(process.versions, 'node', { value: ${JSON.stringify(version)} });\n`);
  try {
    const r = spawnSync('npm', ['run', '-s', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import=${fake}` } });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the Node floor', () => {
  it('compares versions', () => {
    expect(nodeSatisfies('22.19.0', '22.19.0')).toBe(true);
    expect(nodeSatisfies('v24.0.0', '22.19.0')).toBe(true);
    expect(nodeSatisfies('22.13.1', '22.19.0')).toBe(false);
    expect(nodeSatisfies('22.100.0', '22.19.0')).toBe(true);
    expect(nodeSatisfies('20.20.2', '22.19.0')).toBe(false);
    expect(nodeVersionProblem('24.21.0', pkg.engines.node)).toBeNull();
  });

  it('is above what the native SQLite binding and the installed dependencies need', () => {
    // better-sqlite3 13's prebuilt binary crashes on Node 22.12 and 22.13.
    expect(nodeSatisfies(floor, '22.14.0')).toBe(true);
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string }; dev?: boolean; optional?: boolean }>;
    };
    for (const [name, p] of Object.entries(lock.packages)) {
      const m = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(p.engines?.node?.trim() ?? '');
      if (!m || p.dev || p.optional) continue;
      expect(nodeSatisfies(floor, m[1]!), `${name} needs Node ${p.engines!.node}`).toBe(true);
    }
    expect(fs.readFileSync(path.join(root, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
    expect(Number(fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim())).toBeGreaterThanOrEqual(Number(floor.split('.')[0]));
  });

  it('is checked first by every script that runs TypeScript with Node', () => {
    for (const [name, script] of Object.entries(pkg.scripts)) {
      if (script.includes('--experimental-strip-types')) expect(script, name).toMatch(/^node src\/cli\/node-check\.mjs && /);
    }
  });

  it('stops npm start on an old Node with one line naming both versions', () => {
    const r = npmRunAs('22.13.1', 'start');
    expect(r.status).toBe(1);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toContain('22.13.1');
    expect(r.out).toContain(floor);
    expect(r.out).not.toContain('listening');
  });

  it('lets a recent enough Node through', () => {
    const r = npmRunAs(floor, 'content:check');
    expect(r.out).toContain('content: OK');
    expect(r.status).toBe(0);
  });
});
