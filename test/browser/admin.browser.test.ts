// The main admin flow once in Chromium: setup link, declare an incident, see it public; screenshots kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupLinkFrom } from '../helpers/admin-client.ts';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';


const shots = process.env.SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-shots-'));
let fixture: Fixture;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: await atPublicUrl() }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});

it('sets up the first admin, declares a P1 and sees it on the public page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every step waits for its condition (a URL, an element); on a busy machine page loads and axe runs take seconds.
  context.setDefaultTimeout(90_000);
  context.setDefaultNavigationTimeout(90_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(setupLinkFrom(server.output()));
  await page.getByLabel('Email').fill('oncall@acme.test');
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByLabel('Password again').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/admin$/);

  await page.getByRole('link', { name: 'Declare an incident' }).first().click();
  await page.screenshot({ path: path.join(shots, 'admin-incident-form.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel('Title').fill('Payments API timing out');
  await page.getByRole('radio', { name: /P1 · High/ }).check();
  await page.getByLabel('Public API').selectOption('partial_outage');
  await page.getByLabel('First public message').fill('We are investigating reports of timeouts on the payments API.\nUpdates will be provided every 15 minutes.');
  await page.getByRole('button', { name: 'Post incident' }).click();
  await page.waitForURL(/\/admin\/incidents\/.+\?posted=1&email(ed)?=\w+$/);
  expect(await page.getByRole('status').textContent()).toContain('Posted');
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto(new URL('/admin', server.url).href);
  expect(await page.getByRole('link', { name: 'Payments API timing out' }).isVisible()).toBe(true);
  await page.screenshot({ path: path.join(shots, 'admin-dashboard.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
  for (const p of ['/admin/components', '/admin/maintenance', '/admin/postmortems', '/admin/metrics', '/admin/subscribers', '/admin/emails', '/admin/users', '/admin/audit', '/admin/mirror', '/admin/account']) {
    await page.goto(new URL(p, server.url).href);
    expect(await seriousViolations(page), p).toEqual([]);
  }

  await page.goto(server.url);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Partial System Outage');
  expect(await page.getByRole('link', { name: 'Payments API timing out' }).first().isVisible()).toBe(true);
  expect(errors).toEqual([]);
  expect(fs.statSync(path.join(shots, 'admin-dashboard.png')).size).toBeGreaterThan(10_000);
  await context.close();
}, 300_000);
