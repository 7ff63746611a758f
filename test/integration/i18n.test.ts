// Languages over the real server: /de/ in German (interface words, dates, emails, the RFC 8058 page), content as
// written, an unconfigured language 404, and the static export holding each language under its prefix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailEnv, linkPath, postForm, query } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { manifestAfter } from '../helpers/static-export.ts';

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let exportDir: string;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fixture.write('site.yaml', [
    'name: Acme Cloud', 'url: https://status.acme.test', 'description: Status of Acme Cloud', 'timezone: UTC',
    'languages: [en, de]',
  ].join('\n'));
  fake = await startFakeResend();
  exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-i18n-export-'));
  server = await startServer({ contentDir: fixture.dir, env: { ...emailEnv(fake), STATIC_EXPORT_DIR: exportDir } });
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
  if (exportDir) fs.rmSync(exportDir, { recursive: true, force: true });
});

describe('languages', () => {
  it('serves German under /de/ with <html lang="de">, hreflang alternates and the language switch; content text as written', async () => {
    const r = await server.get('/de/');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('<html lang="de"');
    expect(html).toContain('>Verlauf</a>');
    expect(html).toContain('Zeiten in UTC.');
    expect(html).toContain('<link rel="alternate" hreflang="en" href="https://status.acme.test/">');
    expect(html).toContain('<link rel="alternate" hreflang="de" href="https://status.acme.test/de/">');
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="https://status.acme.test/">');
    expect(html).toMatch(/<a href="\/de\/history"[^>]*>Verlauf<\/a>/);
    expect(html).toMatch(/<nav class="language-switch" aria-label="Sprache"><a href="\/" lang="en" hreflang="en">English<\/a> · <a href="\/de\/" lang="de" hreflang="de" aria-current="true">Deutsch<\/a><\/nav>/);
    // Component names and incident titles are content: never translated.
    expect(html).toContain('Public API');
    expect(html).toContain('Elevated API error rates');
    const en = await (await server.get('/')).text();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('>History</a>');
  });

  it('answers 404 for a language the site does not serve, and for the default language under a prefix', async () => {
    expect((await server.get('/fr/')).status).toBe(404);
    expect((await server.get('/fr/history')).status).toBe(404);
    expect((await server.get('/en/history')).status).toBe(404);
    // An unknown page under a served language: German, no alternates, the switch leads home.
    const missing = await server.get('/de/nope');
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain('<html lang="de"');
    expect(html).toContain('Nicht gefunden');
    expect(html).not.toContain('hreflang="x-default"');
    expect(html).toContain('<a href="/" lang="en" hreflang="en">English</a>');
  });

  it('writes dates, status words and the not-found page in German', async () => {
    const html = await (await server.get('/de/incidents/open-api-errors')).text();
    expect(html).toContain('Ursache gefunden');
    // "1. Dez. 2026, 10:05 UTC": day, dot, abbreviated German month.
    expect(html).toMatch(/\d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.? \d{4}, \d{2}:\d{2} UTC/);
    expect(html).toContain('Elevated API error rates');
    const missing = await server.get('/de/incidents/nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Wir konnten diese Störung nicht finden.');
  });

  it('caches each language under its own key', async () => {
    await server.get('/de/history');
    const de = await server.get('/de/history');
    expect(de.headers.get('x-cache')).toBe('hit');
    expect(await de.text()).toContain('<html lang="de"');
    const en = await server.get('/history');
    expect(await en.text()).toContain('<html lang="en"');
  });

  it('a refused subscription on /de/subscribe says why in German and keeps what was typed', async () => {
    const r = await postForm(server, '/de/subscribe', [['email', 'karl-at-example']]);
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain('Geben Sie eine E-Mail-Adresse wie name@example.com ein');
    expect(html).toContain('value="karl-at-example"');
    const english = await postForm(server, '/subscribe', [['email', 'karl-at-example']]);
    expect(await english.text()).toContain('Enter an email address like name@example.com');
  });

  it('subscribing on /de/subscribe stores German: the confirmation email and the one-click unsubscribe page are German', async () => {
    const r = await postForm(server, '/de/subscribe', [['email', 'karl@example.com']]);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('Sehen Sie in Ihr Postfach');
    expect(query<{ locale: string }>(server, 'select locale from subscriber where email = ?', 'karl@example.com')[0]?.locale).toBe('de');
    await eventually(async () => expect(fake.deliveredTo('karl@example.com')).toHaveLength(1), 30_000);
    const mail = fake.deliveredTo('karl@example.com')[0]!;
    expect(mail.subject).toBe('Bestätigen Sie Ihr Abonnement - Acme Cloud');
    expect(mail.html).toContain('<html lang="de">');
    expect(mail.text).toContain('Abonnement bestätigen: ');
    expect(mail.text).toContain('Abbestellen: ');
    const unsubscribe = linkPath(mail, '/unsubscribe/');
    const page = await server.get(unsubscribe);
    expect(await page.text()).toContain('<button class="button subscribe-button" type="submit">Abbestellen</button>');
    // RFC 8058: the mail client's POST, with no Origin.
    const done = await postForm(server, unsubscribe, [['List-Unsubscribe', 'One-Click']], { origin: null });
    expect(done.status).toBe(200);
    const text = await done.text();
    expect(text).toContain('<html lang="de"');
    expect(text).toContain('Sie sind abgemeldet');
    // An English subscriber still gets the English email, byte for byte the old subject.
    await postForm(server, '/subscribe', [['email', 'ann@example.com']]);
    await eventually(async () => expect(fake.deliveredTo('ann@example.com')).toHaveLength(1), 30_000);
    expect(fake.deliveredTo('ann@example.com')[0]!.subject).toBe('Confirm your subscription - Acme Cloud');
  });

  it('a confirmed German subscriber gets a new incident in German around the content as written', async () => {
    await postForm(server, '/de/subscribe', [['email', 'greta@example.com']]);
    await eventually(async () => expect(fake.deliveredTo('greta@example.com')).toHaveLength(1), 30_000);
    const confirm = linkPath(fake.deliveredTo('greta@example.com')[0]!, '/subscribe/confirm/');
    const page = await server.get(confirm);
    // The link has no prefix; the page speaks the subscriber's language.
    expect(await page.text()).toContain('Abonnement bestätigen</button>');
    const done = await postForm(server, confirm, []);
    expect(await done.text()).toContain('Sie sind angemeldet');
    fixture.write('incidents/dashboard-down.md', `---
title: Dashboard not loading
severity: P0
components:
  dashboard: major_outage
updates:
  - at: ${new Date(Date.now() - 2 * 60_000).toISOString()}
    status: investigating
    message: We are investigating reports of the dashboard not loading.
---
`);
    await eventually(async () => expect(fake.deliveredTo('greta@example.com')).toHaveLength(2), 30_000);
    const mail = fake.deliveredTo('greta@example.com')[1]!;
    expect(mail.subject).toBe('[P0] Störung im Produktivbetrieb - Acme Cloud: Dashboard not loading');
    expect(mail.text).toContain('Status: Wird untersucht');
    expect(mail.text).toContain('Auswirkung: Dashboard: Schwerer Ausfall');
    expect(mail.text).toContain('We are investigating reports of the dashboard not loading.');
  });

  it('exports every configured language under its prefix', async () => {
    const m = await eventually(async () => { manifestAfter(exportDir, 0); }, 30_000).then(() => manifestAfter(exportDir, 0));
    expect(m.files['de/index.html']).toBeDefined();
    expect(m.files['de/history.html']).toBeDefined();
    expect(m.files['fr/index.html']).toBeUndefined();
    const de = fs.readFileSync(path.join(exportDir, 'de', 'index.html'), 'utf8');
    expect(de).toContain('<html lang="de"');
  });
});
