// In Chromium, a private site (decision record 020): a stranger's browser gets the private page, asks for a link,
// opens it from the email the fake Resend captured, lands on the page it asked for and sees the status; "Forget this
// browser" closes it again. The private page and the link page pass axe in light and dark.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { emailEnv } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const shots = process.env.SCREENSHOT_DIR ?? null;
let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fixture.write('site.yaml', 'name: Acme Cloud\nurl: https://status.acme.test\ntimezone: UTC\nvisibility: private\nprivate_access: { allowed_domains: [allowed.test] }\n');
  fake = await startFakeResend();
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: emailEnv(fake) }), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

it('lets a stranger ask for a link, open it from the email and read the page they wanted', async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const first = await page.goto(new URL('/history', server.url).href);
  expect(first!.status()).toBe(401);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This status page is private');
  expect(await page.content()).not.toContain('Dashboard unavailable');
  await page.getByLabel('Your work email address').fill('reader@allowed.test');
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await page.getByText('If this address may read the page, a link is on its way').waitFor();

  await eventually(async () => expect(fake.deliveredTo('reader@allowed.test')).toHaveLength(1), 30_000);
  const mail = fake.deliveredTo('reader@allowed.test')[0]!;
  const link = /https?:\/\/[^/\s]+(\/private\/open\/[a-z2-7]+\S*)/.exec(mail.text)![1]!;
  // The email's link points at SITE_URL (site.yaml's url here): the same path on this server.
  await page.goto(new URL(link, server.url).href);
  await page.getByRole('button', { name: 'Open the status page' }).click();
  await page.waitForURL(/\/history$/);
  expect(await page.content()).toContain('Dashboard unavailable');
  await page.goto(server.url);
  expect(await page.content()).toContain('Elevated API error rates');

  await page.getByRole('button', { name: 'Forget this browser' }).click();
  await page.waitForURL(/\/private$/);
  const again = await page.goto(server.url);
  expect(again!.status()).toBe(401);
  await context.close();
}, 120_000);

it.each(['light', 'dark'] as const)('the private page and the link page pass axe in %s mode', async (scheme) => {
  const context = await browser.newContext({ colorScheme: scheme });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const problems: string[] = [];
  for (const p of ['/', '/private/open/aaaaaaaaaaaaaaaaaaaaaaaa']) {
    await page.goto(new URL(p, server.url).href);
    problems.push(...(await seriousViolations(page)).map((v) => `${p}: ${v}`));
    if (shots) await page.screenshot({ path: path.join(shots, `private${p.replace(/\W+/g, '-')}-${scheme}.png`), fullPage: true });
  }
  // The answer after asking, and the form with an error.
  await page.goto(server.url);
  await page.getByLabel('Your work email address').fill('someone@elsewhere.test');
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await page.getByText('a link is on its way').waitFor();
  problems.push(...(await seriousViolations(page)).map((v) => `sent: ${v}`));
  if (shots) await page.screenshot({ path: path.join(shots, `private-sent-${scheme}.png`), fullPage: true });
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);
