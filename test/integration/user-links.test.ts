// npm run user prints one-time links at SITE_URL, and at a browsable local address when SITE_URL is unset.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function user(env: Record<string, string>, ...args: string[]): { status: number | null; out: string } {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-user-'));
  const { SITE_URL: _s, HOST: _h, PORT: _p, ...rest } = process.env;
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/user.ts', ...args], {
    cwd: root, encoding: 'utf8', env: { ...rest, DATABASE_URL: path.join(dir, 'status.db'), ...env },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('npm run user links', () => {
  it('point at SITE_URL for add and reset-password', () => {
    const env = { SITE_URL: 'https://status.example.test', HOST: '127.0.0.1', PORT: '4999' };
    const added = user(env, 'add', 'second@acme.test');
    expect(added.status).toBe(0);
    expect(added.out).toMatch(/^ {2}https:\/\/status\.example\.test\/admin\/reset\?token=\w+$/m);
    expect(added.out).not.toContain('127.0.0.1');
    const reset = user(env, 'reset-password', 'second@acme.test');
    expect(reset.status).toBe(0);
    expect(reset.out).toMatch(/^ {2}https:\/\/status\.example\.test\/admin\/reset\?token=\w+$/m);
    expect(reset.out).not.toContain('SITE_URL is not set');
  });

  it('point at localhost when SITE_URL is unset and HOST listens everywhere, and say to set SITE_URL', () => {
    for (const host of ['::', '0.0.0.0']) {
      const added = user({ HOST: host, PORT: '8080' }, 'add', `someone-${host === '::' ? 6 : 4}@acme.test`);
      expect(added.status, added.out).toBe(0);
      expect(added.out).toMatch(/^ {2}http:\/\/localhost:8080\/admin\/reset\?token=\w+$/m);
      expect(added.out).toContain('SITE_URL is not set');
    }
  });

  it('add takes --role (admin without it) and refuses one that is not a role', () => {
    const env = { SITE_URL: 'https://status.example.test' };
    expect(user(env, 'add', 'boss@acme.test').status).toBe(0);
    const responder = user(env, 'add', 'rory@acme.test', '--role', 'responder');
    expect(responder.status, responder.out).toBe(0);
    expect(responder.out).toContain('Added rory@acme.test (responder)');
    expect(user(env, 'add', 'vic@acme.test', '--role=viewer').status).toBe(0);
    expect(user(env, 'add', 'x@acme.test', '--role', 'owner').status).toBe(1);
    const list = user(env, 'list').out;
    expect(list).toMatch(/^boss@acme\.test\t.*\tadmin$/m);
    expect(list).toMatch(/^rory@acme\.test\t.*\tresponder$/m);
    expect(list).toMatch(/^vic@acme\.test\t.*\tviewer$/m);
    expect(list).not.toContain('x@acme.test');
    const last = user(env, 'remove', 'boss@acme.test');
    expect(last.status).toBe(1);
    expect(last.out).toContain('boss@acme.test is the last admin');
  });
});
