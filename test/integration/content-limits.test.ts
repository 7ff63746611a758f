// Content files the server must not parse, over the real server: one over 1 MB, one not UTF-8, symbolic link
// loops. Each is named in admin's content problems, the public page keeps serving, and other edits still load live.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;

const incident = (title: string, body = ''): string => `---
title: ${title}
severity: P2
components: { docs: degraded_performance }
updates:
  - { at: ${iso(now - 5 * MINUTE)}, status: investigating, message: Looking into it. }
---
${body}`;
/** A valid incident of about 2 MB: its body alone is over the limit. */
const huge = (title: string): string => incident(title, 'Timeline entry, repeated.\n'.repeat(80_000));

const home = async (): Promise<string> => {
  const r = await server.get('/');
  expect(r.status).toBe(200);
  return r.text();
};
const problems = async (): Promise<string> => {
  const page = await (await admin.get('/admin')).text();
  return /<section aria-labelledby="problems-title">[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
};
const live = (check: () => Promise<void>): Promise<number> => eventually(check, 30_000);

beforeAll(async () => {
  fixture = createFixture(now);
  server = await startServer({ contentDir: fixture.dir });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

describe('a content file over 1 MB', () => {
  it('is named with its size in admin, not parsed, and the page serves the rest; later edits still load', async () => {
    fixture.write('incidents/huge.md', huge('Gigantic incident report'));
    expect(fs.statSync(path.join(fixture.dir, 'incidents/huge.md')).size).toBeGreaterThan(2_000_000);
    await live(async () => expect(await problems()).toMatch(/<code>incidents\/huge\.md<\/code>: 2\.0 MB \(\d+ bytes\) is over the 1\.0 MB limit for a content file: not read until it is smaller/));
    const page = await home();
    expect(page).toContain('Elevated API error rates');
    expect(page).not.toContain('Gigantic incident report');
    expect(server.output()).toMatch(/content: incidents\/huge\.md: 2\.0 MB/);
    fixture.write('incidents/after-huge.md', incident('Written after the huge file'));
    await live(async () => expect(await home()).toContain('Written after the huge file'));
    expect(await home()).not.toContain('Gigantic incident report');
  }, 90_000);

  it('that grew over the limit keeps serving its last good version', async () => {
    fixture.write('incidents/grows.md', incident('Search is slow'));
    await live(async () => expect(await home()).toContain('Search is slow'));
    fixture.write('incidents/grows.md', huge('Search is slow, now with a huge log'));
    await live(async () => expect(await problems()).toMatch(/<code>incidents\/grows\.md<\/code>: 2\.0 MB/));
    const page = await home();
    expect(page).toContain('Search is slow');
    expect(page).not.toContain('now with a huge log');
  }, 90_000);
});

describe('a content file that is not UTF-8', () => {
  it('is named with where the bad byte is, and not shown with replacement characters', async () => {
    const [before, after] = incident('Caf\u00e9 menu outage').split('\u00e9');
    fs.writeFileSync(path.join(fixture.dir, 'incidents/latin1.md'), Buffer.concat([Buffer.from(before!), Buffer.from([0xe9]), Buffer.from(after!)]));
    await live(async () => expect(await problems()).toMatch(/<code>incidents\/latin1\.md<\/code>: not valid UTF-8 \(first bad byte at offset 14, line 2\): not loaded until it is saved as UTF-8/));
    const page = await home();
    expect(page).not.toContain('menu outage');
    expect(page).not.toContain('\uFFFD');
  }, 90_000);
});

describe('symbolic link loops', () => {
  it('are named in admin and skipped; watching goes on and other files still load live', async () => {
    const incidents = path.join(fixture.dir, 'incidents');
    fs.symlinkSync('loop-b.md', path.join(incidents, 'loop-a.md'));
    fs.symlinkSync('loop-a.md', path.join(incidents, 'loop-b.md'));
    fs.symlinkSync('..', path.join(incidents, 'parent'));
    fs.symlinkSync('..', path.join(incidents, 'parent.md'));
    fs.rmSync(path.join(fixture.dir, 'postmortems'), { recursive: true });
    fs.symlinkSync('postmortems-again', path.join(fixture.dir, 'postmortems'));
    fs.symlinkSync('postmortems', path.join(fixture.dir, 'postmortems-again'));
    await live(async () => {
      const list = await problems();
      expect(list).toContain('<code>incidents/loop-a.md</code>: symbolic link loop');
      expect(list).toContain('<code>incidents/loop-b.md</code>: symbolic link loop');
      expect(list).toContain('<code>postmortems</code>: symbolic link loop');
      expect(list).toContain('<code>incidents/parent.md</code>: a folder, not a content file');
    });
    expect(await home()).toContain('Elevated API error rates');
    fixture.write('incidents/after-loop.md', incident('Written after the loops'));
    await live(async () => expect(await home()).toContain('Written after the loops'));
    fixture.write('incidents/after-loop.md', incident('Edited after the loops'));
    await live(async () => expect(await home()).toContain('Edited after the loops'));
    expect(server.process.exitCode).toBeNull();
  }, 90_000);
});
