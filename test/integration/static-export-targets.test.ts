// Pushing the copy through the durable job queue: to a branch of a local bare git repository and to S3 (s3rver),
// changed pages added and removed pages deleted; a target that is down is retried and shown in admin, and never
// slows a post or the public page.
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { bareRepo, type BareRepo } from '../helpers/git.ts';
import { startLocalS3, type LocalS3 } from '../helpers/s3.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { manifestAfter } from '../helpers/static-export.ts';

let fixture: Fixture;
let tmp: string;
let remote: BareRepo;
let s3: LocalS3;
let server: RunningServer;
let admin: AdminClient;
const CACHE = 'public, max-age=0, s-maxage=10, stale-while-revalidate=30';

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  fixture = createFixture(Date.now());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-targets-'));
  remote = bareRepo();
  s3 = await startLocalS3();
  server = await startServer({
    contentDir: fixture.dir,
    env: { STATIC_EXPORT_DIR: path.join(tmp, 'mirror'), STATIC_EXPORT_GIT_REMOTE: remote.dir, STATIC_EXPORT_GIT_AUTHOR_NAME: 'Mirror Bot', STATIC_EXPORT_GIT_AUTHOR_EMAIL: 'mirror@acme.test', ...s3.env },
  });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  await s3?.close();
  remote?.cleanup();
  fixture?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('push targets', () => {
  it('pushes the first export to a new gh-pages branch and to the bucket, with content types and cache control', async () => {
    await eventually(async () => {
      expect(remote.files('gh-pages')).toEqual(expect.arrayContaining(['index.html', '.nojekyll', '_headers', 'incidents/open-api-errors.html', 'api/v2/summary.json']));
      expect(await s3.keys()).toEqual(expect.arrayContaining(['index.html', 'incidents/open-api-errors', 'history', 'api/v2/summary.json', 'export-manifest.json', '404.html']));
    }, 30_000);
    expect(remote.log('gh-pages')).toContain('Mirror Bot <mirror@acme.test>');
    expect(await s3.head('incidents/open-api-errors')).toEqual({ contentType: 'text/html', cacheControl: CACHE });
    expect(await s3.head('api/v2/summary.json')).toEqual({ contentType: 'application/json; charset=utf-8', cacheControl: CACHE });
    expect(await s3.head('history.atom')).toMatchObject({ contentType: 'application/atom+xml; charset=utf-8' });
    const css = (await s3.keys()).find((k) => k.startsWith('_astro/') && k.endsWith('.css'))!;
    expect(await s3.head(css)).toEqual({ contentType: 'text/css; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' });
    expect(await s3.text('incidents/open-api-errors')).toBe(remote.show('gh-pages', 'incidents/open-api-errors.html'));
  });

  it('adds a new incident page after an admin post and deletes a removed incident page, on both', async () => {
    const created = await admin.post('/admin/incidents/new', { title: 'Pushed incident', severity: 'P3', message: 'We are investigating a pushed issue.', notify: 'no' });
    const id = created.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
    await eventually(async () => {
      expect(remote.files('gh-pages')).toContain(`incidents/${id}.html`);
      expect(await s3.keys()).toContain(`incidents/${id}`);
    }, 30_000);
    expect(remote.show('gh-pages', `incidents/${id}.html`)).toContain('Pushed incident');
    expect(remote.log('gh-pages')).toContain(`incidents/${id}.html`);
    await admin.post(`/admin/incidents/${id}`, { action: 'delete', confirm: id });
    await eventually(async () => {
      expect(remote.files('gh-pages')).not.toContain(`incidents/${id}.html`);
      expect(await s3.keys()).not.toContain(`incidents/${id}`);
      expect(await s3.keys()).not.toContain(`api/v1/incidents/${id}.json`);
    }, 30_000);
    expect(remote.log('gh-pages')).toContain(`incidents/${id}.html (removed)`);
    expect(remote.files('gh-pages')).toContain('incidents/open-api-errors.html');
  });

  it('leaves files on the branch that it never wrote (a CNAME set by GitHub Pages)', async () => {
    const work = fs.mkdtempSync(path.join(tmp, 'clone-'));
    const { execFileSync } = await import('node:child_process');
    const g = (...args: string[]): string => execFileSync('git', args, { cwd: work, encoding: 'utf8' });
    g('clone', '-q', '-b', 'gh-pages', remote.dir, '.');
    fs.writeFileSync(path.join(work, 'CNAME'), 'status.acme.test\n');
    g('add', 'CNAME');
    g('-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-q', '-m', 'CNAME');
    g('push', '-q', 'origin', 'gh-pages');
    fixture.write('incidents/later.md', `---\ntitle: Later file incident\nseverity: P3\nupdates:\n  - { at: ${new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z/, 'Z')}, status: investigating, message: Looking }\n---\n`);
    await eventually(async () => expect(remote.files('gh-pages')).toContain('incidents/later.html'), 30_000);
    expect(remote.files('gh-pages')).toContain('CNAME');
  });

  it('shows each target\'s last push in admin', async () => {
    const html = await (await admin.get('/admin/mirror')).text();
    expect(html).toContain('Static mirror');
    expect(html).toContain(`git ${remote.dir} (branch gh-pages)`);
    expect(html).toContain(`S3 bucket ${s3.bucket} at ${s3.endpoint}`);
    expect(html).toMatch(/pushed [0-9a-f]{7} to gh-pages/);
    expect(html).toMatch(/uploaded \d+, deleted \d+/);
  });
});

describe('a target that is down', () => {
  let down: RunningServer;
  let downAdmin: AdminClient;
  let dir: string;
  beforeAll(async () => {
    dir = path.join(tmp, 'down-mirror');
    down = await startServer({
      contentDir: fixture.dir,
      env: {
        STATIC_EXPORT_DIR: dir, STATIC_EXPORT_GIT_REMOTE: path.join(tmp, 'no-such-repo.git'),
        ...s3.env, STATIC_EXPORT_S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
      },
    });
    downAdmin = await firstAdmin(down);
  });
  afterAll(async () => { await down?.stop(); });

  it('is retried with backoff and shown in admin with its error, while the public page and posts are unaffected', async () => {
    await eventually(async () => {
      const html = await (await downAdmin.get('/admin/mirror')).text();
      expect(html).toMatch(/<td>git ls-remote: fatal: &#39;[^&]*no-such-repo\.git&#39; does not appear to be a git repository/);
      expect(html).toMatch(/<td>S3 status-mirror: [^<]*ECONNREFUSED/);
      expect(html).toContain('Failing: retry');
      expect(html).toContain('>Retry</button>');
    }, 30_000);
    for (let i = 0; i < 3; i++) {
      const created = await downAdmin.post('/admin/incidents/new', { title: `Post while a target is down ${i}`, severity: 'P3', message: 'We are investigating a minor issue.', notify: 'no' });
      expect(created.status).toBe(303);
      const home = await down.get('/');
      expect(home.status).toBe(200);
      expect(await home.text()).toContain(`Post while a target is down ${i}`);
    }
    await eventually(async () => { expect(manifestAfter(dir, 1).files['index.html']).toBeDefined(); });
    const retried = await downAdmin.post('/admin/mirror', { action: 'push', target: 'git' });
    expect(retried.status).toBe(200);
    expect(await retried.text()).toContain('queued; it starts within a second');
    const cross = await downAdmin.post('/admin/mirror', { action: 'push', target: 'git' }, { origin: 'https://evil.test' });
    expect(cross.status).toBe(403);
  });
});
