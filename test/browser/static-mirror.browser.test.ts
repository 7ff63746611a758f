// The static copy in Chromium, served by nginx with the exported CSP: with the live server up, the subscribe form
// posts to it (and it accepts the mirror's origin); with it stopped, the page says so plainly and disables the button.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin } from '../helpers/admin-client.ts';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { query } from '../helpers/email-flow.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { freePort, startNginx, type RunningNginx } from '../helpers/nginx.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { manifestAfter } from '../helpers/static-export.ts';

let fixture: Fixture;
let live: RunningServer;
let nginx: RunningNginx;
let browser: Browser;
let tmp: string;
let liveOrigin: string;

/** The headers _headers gives one path (the copy's CSP among them). */
function headersFor(file: string, pattern: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inRule = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith(' ')) inRule = line === pattern;
    else if (inRule) {
      const [k, ...v] = line.trim().split(': ');
      out[k!] = v.join(': ');
    }
  }
  return out;
}

beforeAll(async () => {
  fixture = createFixture(Date.now());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-mirror-browser-'));
  const dir = path.join(tmp, 'mirror');
  const [livePort, mirrorPort] = [await freePort(), await freePort()];
  liveOrigin = `http://127.0.0.1:${livePort}`;
  [live, browser] = await Promise.all([
    startServer({ contentDir: fixture.dir, env: { PORT: String(livePort), SITE_URL: liveOrigin, STATIC_MIRROR_URL: `http://127.0.0.1:${mirrorPort}`, STATIC_EXPORT_DIR: dir, STATIC_EXPORT_GIT_REMOTE: path.join(tmp, 'missing.git') } }),
    launchBrowser(),
  ]);
  await eventually(async () => { manifestAfter(dir, 0); }, 30_000);
  const csp = (p: string): Record<string, string> => ({ 'Content-Security-Policy': headersFor(path.join(dir, '_headers'), p)['Content-Security-Policy']! });
  nginx = await startNginx(dir, { port: mirrorPort, headers: { '/': csp('/'), '/subscribe': csp('/subscribe') } });
});
afterAll(async () => {
  await browser?.close();
  await nginx?.stop();
  await live?.stop();
  fixture?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function open(url: string): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  return { page, violations };
}

describe('subscribing on the static mirror', () => {
  it('leaves the form alone on the live site', async () => {
    const { page } = await open(`${liveOrigin}/`);
    await page.waitForLoadState('networkidle');
    expect(await page.getAttribute('form.subscribe-form', 'action')).toBe('/subscribe');
    expect(await page.locator('form.subscribe-form').getAttribute('data-mirror')).toBeNull();
    await page.context().close();
  });

  it('posts to the live site while it is up', async () => {
    expect(nginx.url).not.toBe(liveOrigin);
    const { page, violations } = await open(`${nginx.url}/subscribe`);
    await page.waitForSelector('form.subscribe-form[data-mirror="live-reachable"]', { timeout: 20_000 });
    expect(await page.$eval('form.subscribe-form', (f) => (f as HTMLFormElement).action)).toBe(`${liveOrigin}/subscribe`);
    await page.fill('#subscribe-email', 'mirror-reader@example.com');
    await Promise.all([page.waitForURL(`${liveOrigin}/subscribe`), page.click('button[type="submit"]')]);
    expect(await page.textContent('h2')).toContain('Check your inbox');
    expect(query<{ email: string }>(live, 'select email from subscriber')).toEqual([{ email: 'mirror-reader@example.com' }]);
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('shows the mirror in admin, light and dark, without serious axe violations', async () => {
    const admin = await firstAdmin(live);
    const cookie = admin.cookie!.split('=');
    const shots = process.env.SCREENSHOT_DIR ?? tmp;
    await eventually(async () => expect(await (await admin.get('/admin/mirror')).text()).toContain('git ls-remote'), 20_000);
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: cookie[0]!, value: cookie[1]!, url: liveOrigin }]);
      const page = await context.newPage();
      await page.goto(`${liveOrigin}/admin/mirror`, { waitUntil: 'load' });
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Static mirror');
      expect(await page.getByRole('button', { name: /^Retry: git / }).isVisible()).toBe(true);
      await page.screenshot({ path: path.join(shots, `admin-mirror-${colorScheme}.png`), fullPage: true });
      expect(await seriousViolations(page), colorScheme).toEqual([]);
      await context.close();
    }
  });

  it('points calendar links at the live site, which alone serves the .ics files', async () => {
    const { page, violations } = await open(`${nginx.url}/maintenance/db-upgrade`);
    const add = page.getByRole('link', { name: 'Add to calendar' });
    await eventually(async () => expect(await add.getAttribute('href')).toBe(`${liveOrigin}/maintenance/db-upgrade.ics`));
    expect(await page.getByRole('link', { name: 'Calendar of upcoming maintenance' }).getAttribute('href')).toBe(`${liveOrigin}/maintenance.ics`);
    const ics = await fetch(await add.evaluate((a) => (a as HTMLAnchorElement).href));
    expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(violations).toEqual([]);
    await page.context().close();
    // On the live site the links stay relative.
    const onLive = await open(`${liveOrigin}/maintenance/db-upgrade`);
    await onLive.page.waitForFunction(() => document.querySelector('time')?.hasAttribute('data-site-text'));
    expect(await onLive.page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).toBe('/maintenance/db-upgrade.ics');
    await onLive.page.context().close();
  });

  it('sends a history filter to the live site: the copy ignores queries and says so', async () => {
    const { page, violations } = await open(`${nginx.url}/history?component=api`);
    const link = page.locator('.filter-live-only a');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`${liveOrigin}/history?component=api`);
    expect(await link.textContent()).toBe('This copy of the page cannot filter: see this filter on the live site');
    await page.context().close();
    // Unfiltered, the copy's history is as it was: no note.
    const plain = await open(`${nginx.url}/history`);
    await plain.page.waitForFunction(() => document.querySelector('time')?.hasAttribute('data-site-text'));
    expect(await plain.page.locator('.filter-live-only').count()).toBe(0);
    expect([...violations, ...plain.violations]).toEqual([]);
    await plain.page.context().close();
  });

  it('says plainly that the live site cannot be reached when it is down, and disables the button', async () => {
    await live.stop();
    const { page } = await open(`${nginx.url}/`);
    await page.waitForSelector('form.subscribe-form[data-mirror="live-unreachable"]', { timeout: 20_000 });
    const note = await page.textContent('.subscribe-offline');
    expect(note).toBe(`Subscribing needs the live status site at 127.0.0.1:${new URL(liveOrigin).port}, which cannot be reached right now. Please try again later: this page is a read-only copy.`);
    expect(await page.isDisabled('form.subscribe-form button[type="submit"]')).toBe(true);
    expect(await page.textContent('h1')).toBeTruthy();
    await page.context().close();
  });
});
