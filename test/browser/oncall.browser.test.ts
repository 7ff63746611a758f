// From the dashboard to a resolved P1 with its three updates, in Chromium with JavaScript: every click counted, the
// runbook wording offered per status without a round trip, axe on the incident page, screenshots at 1280 and 390.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageTemplate } from '../../src/lib/status/runbook-templates.ts';
import { firstAdmin } from '../helpers/admin-client.ts';
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

it('takes a resolved P1 with three updates in seven clicks from the dashboard, wording offered per status', async () => {
  const admin = await firstAdmin(server);
  const [name, value] = admin.cookie!.split('=') as [string, string];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  let clicks = 0;
  const click = async (p: Promise<void>): Promise<void> => { clicks++; await p; };

  await page.goto(new URL('/admin', server.url).href);
  await click(page.getByRole('link', { name: 'Declare an incident' }).first().click());
  await page.getByLabel('Title').fill('Payments API timing out');
  await click(page.getByRole('radio', { name: /P1 · High/ }).check());
  await page.getByLabel('Public API').selectOption('partial_outage');
  await page.getByLabel('First public message').fill('We are investigating reports of timeouts on the payments API.\nUpdates will be provided every 15 minutes.');
  await click(page.getByRole('button', { name: 'Post incident' }).click());
  await page.waitForURL(/\?posted=1/);
  expect(await page.getByRole('status').first().textContent()).toContain('Posted');

  // Choosing a status puts its wording in the untouched message at once; the no-JavaScript button is gone.
  expect(await page.locator('.wording-button').isVisible()).toBe(false);
  await click(page.locator('#status').selectOption('identified').then(() => {}));
  expect(await page.locator('#message').inputValue()).toBe(messageTemplate('identified'));
  await page.locator('#message').fill('We have identified the cause as an expired certificate.\nWorking on mitigation. ETA: 30 minutes');
  // A typed message is never replaced without asking: the wording is offered instead.
  await page.locator('#status').selectOption('monitoring');
  expect(await page.locator('#message').inputValue()).toContain('expired certificate');
  expect(await page.locator('.wording-offer').isVisible()).toBe(true);
  await page.locator('#status').selectOption('identified');
  await click(page.getByRole('button', { name: 'Post update' }).click());
  await page.waitForURL(/\?posted=1/);

  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(shots, `admin-incident-${width}-${scheme}.png`), fullPage: true });
      expect(await seriousViolations(page), `${width} ${scheme}`).toEqual([]);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });

  await click(page.locator('#status').selectOption('resolved').then(() => {}));
  expect(await page.locator('#message').inputValue()).toBe(messageTemplate('resolved'));
  await click(page.getByRole('button', { name: 'Post update' }).click());
  await page.waitForURL(/\?posted=1/);
  expect(await page.getByText('Reopen this incident').isVisible()).toBe(true);
  // Declare, P1, post (investigating); identified, post; resolved, post: seven, besides typing the messages.
  expect(clicks).toBe(7);

  await page.goto(server.url);
  const incident = page.getByRole('link', { name: 'Payments API timing out' }).first();
  await click(incident.click());
  expect(await page.locator('.timeline li, .steps li, ol li').count()).toBeGreaterThanOrEqual(3);
  expect(await page.getByText('Issue has been resolved. All systems operational.').first().isVisible()).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
});
