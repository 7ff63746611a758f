// One message cannot take a page down: a 5,000-deep quote (posted by an admin, or in a content file) leaves every
// page that shows it answering 200 and the incident deletable; a message too large to render is shown as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { createFixture, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const now = Date.now();
const deep = `${'> '.repeat(5000)}deepest words`;
const huge = `${'<script>alert(1)</script> '.repeat(2)}${'plain words '.repeat(10_000)}`;
let fixture: Fixture;
let server: RunningServer;
let admin: AdminClient;

const incidentFile = (title: string, message: string): string => `---
title: ${title}
severity: P2
components:
  api: degraded_performance
detected: ${iso(now - 30 * MINUTE)}
updates:
  - at: ${iso(now - 20 * MINUTE)}
    status: investigating
    message: |
${message.split('\n').map((l) => `      ${l}`).join('\n')}
---
`;

beforeAll(async () => {
  fixture = createFixture(now);
  fixture.write('incidents/deep-quote-file.md', incidentFile('Deep quote from a file', deep));
  fixture.write('incidents/huge-message-file.md', incidentFile('Huge message from a file', huge));
  server = await startServer({ contentDir: fixture.dir });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

const publicPages = (id: string): string[] => ['/', '/history', '/history.atom', '/history.rss', `/incidents/${id}`, '/api/v2/summary.json', '/api/v2/incidents.json', '/api/v1/incidents.json'];

describe('a 5,000-deep block quote', () => {
  it('in a content file: every page that shows it answers 200 with its text', async () => {
    for (const p of publicPages('deep-quote-file')) {
      const r = await server.get(p);
      expect(r.status, p).toBe(200);
      const body = await r.text();
      if (!p.startsWith('/api/')) expect(body, p).toContain('deepest words');
    }
    const page = await admin.get('/admin/incidents/deep-quote-file');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('deepest words');
  });

  it('posted by an admin: every page answers 200, the admin page too, and the incident can still be deleted', async () => {
    const created = await admin.post('/admin/incidents/new', { title: 'Deep quote posted', severity: 'P2', 'component.docs': 'degraded_performance', message: deep, notify: 'no' });
    expect(created.status).toBe(303);
    const id = created.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
    await eventually(async () => {
      const r = await server.get(`/incidents/${id}`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('deepest words');
    });
    for (const p of publicPages(id)) expect((await server.get(p)).status, p).toBe(200);
    const page = await admin.get(`/admin/incidents/${id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Type <code>${id}</code> to delete`);
    expect((await admin.get('/admin')).status).toBe(200);
    const deleted = await admin.post(`/admin/incidents/${id}`, { action: 'delete', confirm: id });
    expect(deleted.status).toBe(303);
    await eventually(async () => expect((await server.get(`/incidents/${id}`)).status).toBe(404));
  });
});

describe('a message too large to render', () => {
  it('is shown as escaped plain text, and the admin pages say which update could not be rendered and why', async () => {
    const r = await server.get('/incidents/huge-message-file');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('<pre class="markdown-plain">&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    const adminPage = await (await admin.get('/admin/incidents/huge-message-file')).text();
    expect(adminPage).toMatch(/Message of update [^ ]+ could not be rendered: longer than 100,000 characters/);
    const dashboard = await (await admin.get('/admin')).text();
    expect(dashboard).toContain('Messages shown as plain text');
    expect(dashboard).toMatch(/Message of update [^ ]+ \(Huge message from a file\) could not be rendered/);
    expect(server.output().match(/could not be rendered/g)?.length).toBe(1);
  });
});
