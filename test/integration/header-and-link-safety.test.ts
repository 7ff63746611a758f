// Fields that reach a mail header are single-line, and configured links are http(s) only: refused in admin with the
// field named, collapsed or dropped (with a content problem) in content files, and never emitted in an email header.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../helpers/admin-client.ts';
import { emailEnv, firstAdmin, linkPath, postForm, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const INJECTED = 'A\r\nBcc: x@evil.test';
const unescape = (html: string): string => html.replace(/&quot;|&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&#13;|&#xd;/gi, '\r').replace(/&#10;|&#xa;/gi, '\n');

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let admin: AdminClient;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  server = await startServer({ contentDir: fixture.dir, env: emailEnv(fake) });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

describe('CR and LF in titles', () => {
  it('an admin incident titled with a line break is refused, naming the field and keeping what was typed', async () => {
    const r = await admin.post('/admin/incidents/new', { title: INJECTED, severity: 'P1', message: 'We are investigating.', notify: 'yes' });
    expect(r.status).toBe(400);
    const page = unescape(await r.text());
    expect(page).toContain('Title: must be a single line (no line breaks)');
    expect(page).toContain('Bcc: x@evil.test');
    expect(query<{ n: number }>(server, "select count(*) as n from incident where title like '%evil%'")[0]!.n).toBe(0);
  });

  it('a content file with such a title cannot put CR or LF into an email subject or header', async () => {
    const r = await postForm(server, '/subscribe', [['email', 'reader@example.com']]);
    expect(r.status).toBe(200);
    await eventually(async () => expect(fake.deliveredTo('reader@example.com')).toHaveLength(1), 10_000);
    expect((await postForm(server, linkPath(fake.deliveredTo('reader@example.com')[0]!, '/subscribe/confirm/'), [])).status).toBe(200);

    fixture.write('incidents/injected.md', `---\ntitle: "A\\r\\nBcc: x@evil.test"\nseverity: P1\nnotify: true\nupdates:\n  - at: ${iso(Date.now() - MINUTE)}\n    status: investigating\n    message: We are investigating.\n---\n`);
    await eventually(async () => expect(fake.deliveredTo('reader@example.com').filter((e) => e.subject.includes('Production Incident'))).toHaveLength(1), 15_000);
    const mail = fake.deliveredTo('reader@example.com').find((e) => e.subject.includes('Production Incident'))!;
    expect(mail.subject).toBe('[P1] Production Incident - Acme Cloud: A Bcc: x@evil.test');
    for (const [name, value] of Object.entries({ subject: mail.subject, from: mail.from, ...mail.headers })) expect(`${name}: ${value}`).not.toMatch(/[\r\n]/);
    // The page shows it on one line too.
    expect(await (await server.get('/incidents/injected')).text()).toContain('A Bcc: x@evil.test');
  });
});

describe('links in site.yaml', () => {
  const siteWith = (supportUrl: string): string => ['name: Acme Cloud', 'url: https://status.acme.test', 'timezone: UTC', `support_url: "${supportUrl}"`].join('\n');

  for (const bad of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd']) {
    it(`content:check reports support_url ${bad.split(':')[0]}: as a problem naming the file and field`, () => {
      const f = createFixture(Date.now());
      try {
        f.write('site.yaml', siteWith(bad));
        const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', 'src/cli/content-check.ts', f.dir], { cwd: root, encoding: 'utf8' });
        expect(r.stdout).toContain(`${path.join(f.dir, 'site.yaml')}: support_url: must be an http(s) URL, e.g. https://support.example.com (${bad.split(':')[0]}: links are refused)`);
        expect(r.status).toBe(1);
      } finally {
        f.cleanup();
      }
    });
  }

  it('the page keeps serving with the link dropped and the rest of site.yaml applied', async () => {
    fixture.write('site.yaml', siteWith('javascript:alert(document.cookie)'));
    await eventually(async () => {
      const page = await (await server.get('/')).text();
      expect(page).not.toContain('support.acme.test');
      expect(page).not.toContain('javascript:');
      expect(page).toContain('Acme Cloud');
    }, 10_000);
    // Admins see the problem on the dashboard, naming the file and field.
    const dashboard = unescape(await (await admin.get('/admin')).text());
    expect(dashboard).toMatch(/<code>site\.yaml<\/code> · <code>support_url<\/code>: must be an http\(s\) URL/);
  });
});
