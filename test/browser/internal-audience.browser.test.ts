// In Chromium: a signed-in admin's browser shows the team-only component with its "Team only" marker on the public
// front page (the session cookie travels to public pages); a browser without the session sees no trace of it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { firstAdmin, ADMIN_EMAIL, ADMIN_PASSWORD } from '../helpers/admin-client.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fixture.write('components.yaml', `
- { id: api, name: Public API }
- { id: secret-db-7f3a, name: Vault Ledger Qx9, audience: internal }
`);
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir }), launchBrowser()]);
  await firstAdmin(server);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});

it('shows the team-only component, marked, to the signed-in browser only', async () => {
  const team = await browser.newContext();
  team.setDefaultTimeout(60_000);
  const page = await team.newPage();
  await page.goto(new URL('/admin/login', server.url).href);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/admin$/);
  const home = await page.goto(server.url);
  expect(home!.headers()['cache-control']).toBe('private, no-store');
  const row = page.locator('.component', { hasText: 'Vault Ledger Qx9' });
  await expect(row.locator('.team-only').textContent()).resolves.toBe('Team only');
  expect(await page.locator('.component', { hasText: 'Public API' }).locator('.team-only').count()).toBe(0);
  await team.close();

  const reader = await browser.newContext();
  const pub = await reader.newPage();
  await pub.goto(server.url);
  const html = await pub.content();
  expect(html).toContain('Public API');
  expect(html).not.toContain('Vault Ledger Qx9');
  expect(html).not.toContain('secret-db-7f3a');
  expect(await pub.locator('.team-only').count()).toBe(0);
  await reader.close();
}, 120_000);
