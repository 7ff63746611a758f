// Publishing a post-mortem in admin: refused while template placeholders remain, drafts allowed, and a
// confirmation of who will be emailed before anything is published or sent (the fake Resend counts the mail).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { findPostmortemPlaceholders } from '../../src/lib/status/postmortem-placeholders.ts';
import type { AdminClient } from '../helpers/admin-client.ts';
import { seedSubscribers } from '../helpers/email-db.ts';
import { emailEnv, firstAdmin, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { confirmToken, editorBody, editorTitle, fillTemplate, resolvedIncident } from '../helpers/postmortem.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

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

const html = async (p: string): Promise<string> => (await admin.get(p)).text();
const escapeHtml = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
/** Post-mortem outbox rows: one per recipient, with the provider's id once sent. */
const postmortemRows = (): { to_address: string; state: string; provider_id: string | null }[] =>
  query(server, "select o.to_address, o.state, o.provider_id from email_outbox o join email_message m on m.id = o.message_id where m.kind = 'postmortem' order by o.to_address");
const ledger = (id: string): { recipients: number }[] => query(server, 'select recipients from email_notification where key = ?', `postmortem:${id}:published`);

async function seed(count: number, components: string[] | null, prefix: string, state = 'confirmed'): Promise<string[]> {
  const db = openDb(path.join(server.dataDir, 'status.db'));
  try {
    return await seedSubscribers(db, count, { components, prefix, domain: 'subscribers.test', state });
  } finally {
    await db.destroy();
  }
}

describe('before anyone subscribes', () => {
  it('says nobody will be emailed, and why', async () => {
    const id = await resolvedIncident(admin, 'Docs search down', 'docs');
    const page = `/admin/postmortems/${id}`;
    const body = fillTemplate(editorBody(await html(page)));
    const r = await admin.post(page, { action: 'publish', title: 'Docs search post-mortem', body });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toContain('Publish without emailing anyone?');
    expect(text).toContain('No confirmed subscriber follows Documentation or every component, so no email will be sent.');
    expect((await server.get(`/postmortems/${id}`)).status).toBe(404);
  });
});

describe('an admin post-mortem of an API incident', () => {
  let id: string;
  let page: string;
  let template: string;
  let api: string[];
  let everything: string[];
  let docs: string[];

  beforeAll(async () => {
    id = await resolvedIncident(admin, 'Checkout API errors');
    page = `/admin/postmortems/${id}`;
    template = editorBody(await html(page));
    api = await seed(3, ['api'], 'api');
    everything = await seed(1, null, 'all');
    docs = await seed(2, ['docs'], 'docs');
    await seed(2, ['api'], 'pending', 'pending');
  });

  it('refuses publishing while placeholders remain, naming each with its line and keeping what was typed', async () => {
    const typed = template.replace('Detailed explanation of what went wrong', 'A full disk on the payments <db> & its replica.');
    const title = 'Incident Post-Mortem: [Date] - Checkout API errors';
    const expected = findPostmortemPlaceholders(typed);
    expect(expected.map((p) => p.text)).toEqual(['Number of users affected', 'X', '$X', 'What fixed the issue', '(owner, deadline)', '(owner, deadline)', '(owner, deadline)', '(owner, deadline)', 'What went well and what needs improvement']);
    for (const action of ['publish', 'confirm']) {
      const r = await admin.post(page, { action, title, body: typed, confirmed: 'forged' });
      expect(r.status).toBe(400);
      const text = await r.text();
      expect(text).toContain('Not published, and nothing was emailed');
      expect(text).toContain('<li>Title: [Date]</li>');
      expect(text).toContain(`<li>Line ${expected[1]!.line}: X<span class="placeholder-context"> in “Users affected: X”</span></li>`);
      for (const p of expected) expect(text).toContain(`<li>Line ${p.line}: ${escapeHtml(p.text)}`);
      expect(text).toContain(`<li>Line ${expected[4]!.line}: (owner, deadline)<span class="placeholder-context"> in “Fix root cause (owner, deadline)”</span></li>`);
      expect(text).toContain(`<li>Line ${expected[3]!.line}: What fixed the issue</li>`);
      const lines = typed.split('\n');
      expect(lines[expected[0]!.line - 1]).toBe('- **Impact**: Number of users affected');
      expect(lines[expected.at(-1)!.line - 1]).toBe('What went well and what needs improvement');
      expect(editorBody(text)).toBe(typed);
      expect(editorTitle(text)).toBe(title);
      expect(text).toMatch(/<textarea[^>]*aria-invalid="true"/);
      expect(confirmToken(text)).toBeNull();
    }
    expect(query(server, 'select id from postmortem where id = ?', id)).toEqual([]);
    expect((await server.get(`/postmortems/${id}`)).status).toBe(404);
    expect(postmortemRows()).toEqual([]);
  });

  it('saves a draft with placeholders and lists them gently', async () => {
    const r = await admin.post(page, { action: 'save', title: 'Checkout API post-mortem', body: template });
    expect(r.status).toBe(303);
    const text = await html(r.headers.get('location')!);
    expect(text).toContain('Draft saved: not public yet.');
    const left = findPostmortemPlaceholders(template);
    expect(text).toContain(`${left.length} placeholders from the runbook template to replace before publishing (a draft may keep them)`);
    expect(text).toContain(`<li>Line ${left[0]!.line}: ${left[0]!.text}</li>`);
    expect(text).not.toContain('role="alert"');
    expect((await server.get(`/postmortems/${id}`)).status).toBe(404);
    const list = await html('/admin/postmortems');
    expect(list).toMatch(new RegExp(`Checkout API post-mortem[\\s\\S]*?Draft<small class="draft-reason">${left.length} placeholders from the runbook template still to replace.`));
  });

  it('asks first, with the count of who will be emailed; nothing is published or enqueued until confirmed', async () => {
    const body = fillTemplate(template);
    expect(findPostmortemPlaceholders(body)).toEqual([]);
    const r = await admin.post(page, { action: 'publish', title: 'Checkout API post-mortem', body });
    expect(r.status).toBe(200);
    const text = await r.text();
    // 3 API subscribers and 1 of everything; not the docs subscribers, not the unconfirmed.
    expect(text).toContain('<h2 id="confirm-title">Publish and email 4 subscribers?</h2>');
    expect(text).toContain('>Publish and email 4 subscribers</button>');
    expect(text).toContain('Each confirmed subscriber of Public API, and each one who follows every component, gets one email about it.');
    expect(editorBody(text)).toBe(body);
    const token = confirmToken(text);
    expect(token).toMatch(/^[\w-]{20,}$/);
    expect((await server.get(`/postmortems/${id}`)).status).toBe(404);
    expect(postmortemRows()).toEqual([]);
    expect(ledger(id)).toEqual([]);
    expect(query(server, 'select published_at from postmortem where id = ?', id)).toEqual([{ published_at: null }]);

    const changed = await admin.post(page, { action: 'confirm', title: 'Checkout API post-mortem', body: `${body}\nOne more line.`, confirmed: token! });
    expect(changed.status).toBe(200);
    const again = await changed.text();
    expect(again).toContain('The text changed after you were asked.');
    expect(again).toContain('Publish and email 4 subscribers?');
    expect(postmortemRows()).toEqual([]);

    const foreign = await admin.post(page, { action: 'confirm', title: 'Checkout API post-mortem', body, confirmed: token! }, { origin: 'https://evil.test' });
    expect(foreign.status).toBe(403);
    expect((await server.get(`/postmortems/${id}`)).status).toBe(404);
    expect(postmortemRows()).toEqual([]);

    const confirmed = await admin.post(page, { action: 'confirm', title: 'Checkout API post-mortem', body, confirmed: token! });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`${page}?saved=publish`);
    expect((await server.get(`/postmortems/${id}`)).status).toBe(200);
    expect(ledger(id)).toEqual([{ recipients: 4 }]);
    const audit = await html('/admin/audit');
    expect(audit).toContain('postmortem published');
  });

  it('emails each subscriber of the affected components exactly once', async () => {
    const wanted = [...api, ...everything].sort();
    await eventually(async () => expect(postmortemRows().filter((r) => r.state === 'sent').map((r) => r.to_address)).toEqual(wanted), 15_000);
    const rows = postmortemRows();
    expect(rows.map((r) => r.to_address)).toEqual(wanted);
    for (const row of rows) {
      const got = fake.delivered.filter((e) => e.id === row.provider_id);
      expect(got.map((e) => e.to)).toEqual([[row.to_address]]);
    }
    for (const to of docs) expect(fake.deliveredTo(to)).toEqual([]);
    const edited = await html(page);
    expect(edited).toMatch(/Emailed to 4 subscribers on /);
  });

  it('refuses saving a published post-mortem with a placeholder put back; withdrawn and republished, it says nothing more will be sent', async () => {
    const body = fillTemplate(template);
    const broken = await admin.post(page, { action: 'save', title: 'Checkout API post-mortem', body: `${body}\n- Revenue impact: $X` });
    expect(broken.status).toBe(400);
    const text = await broken.text();
    expect(text).toContain('Not saved: this post-mortem is public');
    expect(text).toContain(`<li>Line ${body.split('\n').length + 1}: $X<span class="placeholder-context"> in “Revenue impact: $X”</span></li>`);
    expect(await (await server.get(`/postmortems/${id}`)).text()).not.toContain('$X');

    expect((await admin.post(page, { action: 'unpublish', title: 'Checkout API post-mortem', body })).status).toBe(303);
    const ask = await admin.post(page, { action: 'publish', title: 'Checkout API post-mortem', body });
    const asked = await ask.text();
    expect(asked).toContain('Publish without emailing anyone?');
    expect(asked).toMatch(/This post-mortem was already emailed on [^<]+ \(to 4 subscribers\); it is emailed once, so publishing it again sends nothing\./);
    expect((await admin.post(page, { action: 'confirm', title: 'Checkout API post-mortem', body, confirmed: confirmToken(asked)! })).status).toBe(303);
    expect(ledger(id)).toEqual([{ recipients: 4 }]);
    expect(postmortemRows()).toHaveLength(4);
  });

  it('formats a large count', async () => {
    await seed(1230, ['dashboard'], 'many');
    const other = await resolvedIncident(admin, 'Dashboard blank', 'dashboard');
    const body = fillTemplate(editorBody(await html(`/admin/postmortems/${other}`)));
    const r = await admin.post(`/admin/postmortems/${other}`, { action: 'publish', title: 'Dashboard post-mortem', body });
    expect(await r.text()).toContain('Publish and email 1,231 subscribers?');
  });
});
