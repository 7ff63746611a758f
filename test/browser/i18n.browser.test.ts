// German pages in a real browser: no console errors (CSP included), no serious accessibility violations, and the
// footer's language switch leads to the same page in the other language.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fixture.write('site.yaml', ['name: Acme Cloud', 'url: https://status.acme.test', 'timezone: UTC', 'languages: [en, de, ja]'].join('\n'));
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: await atPublicUrl() }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});

describe('pages in other languages', () => {
  it.each(['/de/', '/de/subscribe', '/de/incidents/open-api-errors', '/ja/history', '/ja/postmortems'])('%s loads cleanly and passes axe', async (path) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(errors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('the language switch keeps the page: German history to Japanese history to English', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('/de/history', server.url).href);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.click('nav.language-switch a[hreflang="ja"]');
    await page.waitForURL(/\/ja\/history$/);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.textContent('nav.site-nav a[aria-current="page"]')).toBe('履歴');
    await page.click('nav.language-switch a[hreflang="en"]');
    await page.waitForURL(/\/history$/);
    expect(new URL(page.url()).pathname).toBe('/history');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await context.close();
  });
});
