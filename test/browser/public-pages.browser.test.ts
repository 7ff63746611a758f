// A real browser loads the public pages: no console errors (CSP included), no serious accessibility violations.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = createFixture(now);
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: await atPublicUrl() }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});


async function visit(path: string, colorScheme: 'light' | 'dark', width = 1280): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  const response = await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return { page, errors };
}


describe.each(['light', 'dark'] as const)('public pages in %s mode', (scheme) => {
  it.each(['/', '/incidents/open-api-errors', '/history', '/postmortems/old-dashboard-outage'])('%s loads cleanly and passes axe', async (path) => {
    const { page, errors } = await visit(path, scheme);
    expect(errors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});

describe('front page in a browser', () => {
  it('reads without JavaScript and shows the banner, incident and components', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Partial System Outage');
    expect(await page.getByRole('link', { name: 'Elevated API error rates' }).first().isVisible()).toBe(true);
    expect(await page.getByText('Public API', { exact: true }).isVisible()).toBe(true);
    await context.close();
  });

  it('reaches an eventful uptime day by keyboard and shows its text', async () => {
    const { page } = await visit('/', 'light');
    const day = page.locator('.bars li[tabindex="0"]').first();
    await day.focus();
    const tip = day.locator('.tip');
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}\d+\.\d\d% uptime(Partial|Major) outage\d+ (h|min)/);
    await page.context().close();
  });

  it('fits a 360 px screen without horizontal scrolling', async () => {
    const { page } = await visit('/', 'light', 360);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
