// Errors outside a request, caused by what an operator or a reader set up, reach the server's log with where they
// happened and a stack trace, and the public page keeps serving: a static mirror whose git remote is not a
// repository, and a subscribed webhook whose receiver answers 500.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../helpers/channel-receiver.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let tmp: string;
let rx: Receiver;
let server: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-bg-errors-'));
  rx = await startReceiver();
  rx.route('/broken-hook', { vendor: 'webhook', always: 500 });
  server = await startServer({
    contentDir: fixture.dir,
    env: {
      STATIC_EXPORT_DIR: path.join(tmp, 'mirror'),
      // A typo in the setting: a folder that is not a git repository.
      STATIC_EXPORT_GIT_REMOTE: path.join(tmp, 'no-such-repo.git'),
      ALLOW_PRIVATE_WEBHOOKS: '1',
      CHANNEL_RETRY_BASE_MS: '50',
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await rx?.close();
  fixture?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The entry of the log that starts with `first`: that line and the stack lines right after it. */
function entry(output: string, first: RegExp): string[] {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => first.test(l));
  if (at < 0) return [];
  const out = [lines[at]!];
  for (const l of lines.slice(at + 1)) {
    if (!/^\s+at /.test(l)) break;
    out.push(l);
  }
  return out;
}

describe('background errors', () => {
  it('logs a failing mirror push with the job, the git error and its stack, and keeps serving', async () => {
    let lines: string[] = [];
    await eventually(async () => {
      lines = entry(server.output(), /^job mirror-push:git: attempt \d+ failed.*: git ls-remote: /);
      expect(lines.length).toBeGreaterThan(1);
    }, 60_000);
    expect(lines[0]).toContain('no-such-repo.git');
    expect(lines.slice(1).join('\n')).toMatch(/git-target\.ts/);
    expect((await server.get('/')).status).toBe(200);
  }, 120_000);

  it('logs a webhook delivery answered 500 with the job and its stack, and keeps serving', async () => {
    const body = new URLSearchParams({ form: 'channel', channel_type: 'webhook', channel_url: rx.url('/broken-hook'), components: 'api' });
    const r = await server.get('/subscribe', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(server.url).origin } });
    expect(r.status).toBe(200);
    await eventually(async () => expect(rx.deliveries('/broken-hook').length).toBeGreaterThan(0), 30_000);
    let lines: string[] = [];
    await eventually(async () => {
      lines = entry(server.output(), /^job channel-send:.*attempt \d+ failed.*500/);
      expect(lines.length).toBeGreaterThan(1);
    }, 30_000);
    expect(lines.slice(1).join('\n')).toMatch(/channel-worker\.ts/);
    expect((await server.get('/')).status).toBe(200);
  }, 120_000);
});
