// The page's one small script in Chromium: times in the reader's zone with a switch back that sticks, relative
// times kept current, and the content refreshed when (and only when) the data changes.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations } from '../helpers/browser.ts';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, eventually, startServer, type RunningServer } from '../helpers/server.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = createFixture(now);
  // Polled every second here so the test sees several looks quickly (production default: 60 s).
  [server, browser] = await Promise.all([
    startServer({ contentDir: fixture.dir, env: { ...(await atPublicUrl()), PAGE_REFRESH_SECONDS: '1' } }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});

async function open(context: BrowserContext, path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  const r = await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
  expect(r?.status()).toBe(200);
  return { page, errors };
}

const startsAt = (page: Page): Promise<string> => page.locator('dl.facts time').first().innerText();
const footer = (page: Page): Promise<string> => page.locator('#tz-note').innerText();

/** What the script should show for the maintenance start in New York (December: EST). */
function inNewYork(instant: number): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'America/New_York',
  }).format(new Date(instant));
  const zone = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'short' })
    .formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')!.value;
  return `${text} ${zone}`;
}

describe('time zones', () => {
  it('shows the site zone without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, timezoneId: 'America/New_York' });
    const { page } = await open(context, '/maintenance/db-upgrade');
    expect(await startsAt(page)).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/);
    expect(await footer(page)).toBe('Times are shown in UTC.');
    await context.close();
  });

  it('shows the reader’s zone with JavaScript, switches back to the site zone, and the choice sticks', async () => {
    const context = await browser.newContext({ timezoneId: 'America/New_York' });
    const { page, errors } = await open(context, '/maintenance/db-upgrade');
    const start = Date.parse((await page.locator('dl.facts time').first().getAttribute('datetime'))!);
    await eventually(async () => expect(await startsAt(page)).toBe(inNewYork(start)));
    expect(await startsAt(page)).toMatch(/ E[SD]T$/);
    expect(await footer(page)).toBe('Times in your zone (America/New_York) · Show in site zone (UTC)');
    // Times in a timeline (an incident's updates) follow too.
    const siteText = await page.locator('dl.facts time').first().getAttribute('title');
    expect(siteText).toMatch(/ UTC$/);

    await page.getByRole('button', { name: 'Show in site zone (UTC)' }).click();
    expect(await startsAt(page)).toBe(siteText);
    expect(await footer(page)).toBe('Times in the site’s zone (UTC) · Show in your zone (America/New_York)');

    await page.reload({ waitUntil: 'load' });
    await eventually(async () => expect(await footer(page)).toContain('Show in your zone'));
    expect(await startsAt(page)).toBe(siteText);
    // Another page of the site, the same choice.
    await page.goto(new URL('/incidents/open-api-errors', server.url).href);
    await eventually(async () => expect(await footer(page)).toContain('Show in your zone'));
    expect(await page.locator('.timeline time').first().innerText()).toMatch(/ UTC$/);

    await page.getByRole('button', { name: 'Show in your zone (America/New_York)' }).click();
    expect(await page.locator('.timeline time').first().innerText()).toMatch(/ E[SD]T$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('changes nothing for a reader already in the site’s zone', async () => {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    const { page } = await open(context, '/maintenance/db-upgrade');
    await page.waitForFunction(() => document.querySelector('time')?.hasAttribute('data-site-text'));
    expect(await startsAt(page)).toMatch(/ UTC$/);
    expect(await footer(page)).toBe('Times are shown in UTC.');
    await context.close();
  });
});

describe('accessibility of the additions', () => {
  it.each(['light', 'dark'] as const)('the zone switch, the history filter and the calendar links pass axe in %s mode, 1280 and 390 px', async (colorScheme) => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ colorScheme, timezoneId: 'America/New_York', viewport: { width, height: 900 } });
      for (const path of ['/history?component=api', '/maintenance/db-upgrade']) {
        const { page, errors } = await open(context, path);
        await page.getByRole('button', { name: 'Show in site zone (UTC)' }).waitFor();
        expect(await seriousViolations(page), `${path} ${width}`).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${path} ${width}`).toBeLessThanOrEqual(0);
        expect(errors).toEqual([]);
        await page.close();
      }
      await context.close();
    }
  });
});

describe('relative times', () => {
  it('renders "10 min ago" on the server and keeps it current in the browser', async () => {
    const still = await browser.newContext({ javaScriptEnabled: false });
    const { page: plain } = await open(still, '/incidents/open-api-errors');
    // The newest update was posted 10 minutes before `now` (11 if the test crossed a minute).
    expect(await plain.locator('.timeline .rel').first().innerText()).toMatch(/^1[01] min ago$/);
    await still.close();

    // Three hours later by the browser's clock: the script rewrites the text without a round trip.
    const context = await browser.newContext({ timezoneId: 'UTC' });
    await context.clock.install({ time: now + 3 * HOUR });
    const { page } = await open(context, '/incidents/open-api-errors');
    await eventually(async () => expect(await page.locator('.timeline .rel').first().innerText()).toBe('3 hr ago'));
    // Thirty more minutes pass: the interval brings it up to date.
    await context.clock.fastForward(60 * MINUTE);
    await eventually(async () => expect(await page.locator('.timeline .rel').first().innerText()).toBe('4 hr ago'));
    await context.close();
  });
});

describe('self-refresh', () => {
  it('touches nothing while the data is unchanged (304s), and swaps the content in when it changes', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const looks: number[] = [];
    let documentLoads = 0;
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/v2/summary.json') looks.push(r.status());
    });
    page.on('request', (r) => { if (r.resourceType() === 'document') documentLoads++; });
    await page.goto(server.url, { waitUntil: 'load' });
    await page.evaluate(() => { (window as unknown as { marker: string }).marker = 'same page'; });
    const before = await page.locator('main').innerHTML();

    // Several looks, every one after the first answered 304: nothing changed, nothing is fetched or replaced.
    await eventually(async () => expect(looks.filter((s) => s === 304).length).toBeGreaterThanOrEqual(3), 15_000);
    expect(looks[0]).toBe(200);
    expect(looks.slice(1).every((s) => s === 304)).toBe(true);
    expect(documentLoads).toBe(1);
    expect(await page.locator('main').innerHTML()).toBe(before);

    // New data: a new incident file. The page shows it on its own, without navigating.
    fixture.write('incidents/search-slow.md', `---
title: Search is slow
severity: P2
components:
  docs: degraded_performance
detected: ${iso(now - 5 * MINUTE)}
updates:
  - { at: ${iso(now - 5 * MINUTE)}, status: investigating, message: We are looking into slow search. }
---
`);
    await eventually(async () => expect(await page.locator('main').innerText()).toContain('Search is slow'), 20_000);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    expect(documentLoads).toBe(1);
    expect(await page.title()).toContain('Acme Cloud');
    expect(await page.locator('#refresh-note').textContent()).toBe('The page was updated with the latest status.');
    fixture.remove('incidents/search-slow.md');
    await context.close();
  });

  it('keeps a group the reader closed closed when the refresh changes that group’s status', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url, { waitUntil: 'load' });
    const core = page.locator('details.component-group', { has: page.locator('h3', { hasText: 'Core' }) });
    expect(await core.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await core.locator(':scope > summary').click();
    expect(await core.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    const before = await core.locator(':scope > summary').innerText();
    fixture.write('incidents/dashboard-down.md', `---
title: Dashboard is down
severity: P0
components:
  dashboard: major_outage
detected: ${iso(now - 2 * MINUTE)}
updates:
  - { at: ${iso(now - 2 * MINUTE)}, status: investigating, message: The dashboard does not load. }
---
`);
    await eventually(async () => expect(await page.locator('main').innerText()).toContain('Dashboard is down'), 20_000);
    // The group's status word changed with the data, and the group stayed as the reader left it.
    expect(await core.locator(':scope > summary').innerText()).not.toBe(before);
    expect(await core.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    fixture.remove('incidents/dashboard-down.md');
    await context.close();
  });

  it('opens a group the reader left alone when the refresh gives it a problem', async () => {
    const components = fs.readFileSync(path.join(fixture.dir, 'components.yaml'), 'utf8');
    fixture.write('components.yaml', `${components}
- id: tools
  name: Tools
  components:
    - { id: cli, name: Command line }
`);
    const context = await browser.newContext();
    const page = await context.newPage();
    await eventually(async () => {
      await page.goto(server.url, { waitUntil: 'load' });
      expect(await page.locator('details.component-group h3', { hasText: 'Tools' }).count()).toBe(1);
    }, 20_000);
    const tools = page.locator('details.component-group', { has: page.locator('h3', { hasText: 'Tools' }) });
    expect(await tools.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    fixture.write('incidents/cli-down.md', `---
title: The command line cannot sign in
severity: P1
components:
  cli: partial_outage
detected: ${iso(now - 2 * MINUTE)}
updates:
  - { at: ${iso(now - 2 * MINUTE)}, status: investigating, message: Sign-in from the command line fails. }
---
`);
    await eventually(async () => expect(await page.locator('main').innerText()).toContain('The command line cannot sign in'), 20_000);
    expect(await tools.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    fixture.remove('incidents/cli-down.md');
    fixture.write('components.yaml', components);
    await context.close();
  });

  it('does not poll while the tab is hidden, and looks at once when it is shown again', async () => {
    const context = await browser.newContext();
    // The browser's timers run on a clock the test moves, so "no look while hidden" needs no waiting.
    await context.clock.install();
    const page = await context.newPage();
    const looks: string[] = [];
    let answered = 0;
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v2/summary.json') looks.push(r.url()); });
    page.on('response', (r) => { if (new URL(r.url()).pathname === '/api/v2/summary.json') answered++; });
    await page.goto(new URL('/maintenance/db-upgrade', server.url).href, { waitUntil: 'load' });
    await eventually(async () => expect(looks.length).toBe(1));
    await context.clock.runFor(1_000);
    await eventually(async () => expect(looks.length).toBe(2));

    const setHidden = (hidden: boolean): Promise<void> => page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    // Let the second look finish (its answer schedules the next) before hiding.
    await eventually(async () => expect(answered).toBe(2));
    await setHidden(true);
    await context.clock.runFor(30_000);
    // A marker request from the page after those 30 s: any look started meanwhile would be seen before it.
    let marker = -1;
    page.on('request', (r) => { if (r.url().endsWith('/healthz?marker')) marker = looks.length; });
    await page.evaluate(() => fetch('/healthz?marker').then(() => undefined));
    await eventually(async () => expect(marker).toBe(2));
    await setHidden(false);
    // Shown again: one look straight away, and it is the only one since the tab was hidden.
    await eventually(async () => expect(looks.length).toBe(3));
    await context.clock.runFor(1_000);
    await eventually(async () => expect(looks.length).toBe(4));
    await context.close();
  });

  it('keeps the scroll position across a refresh', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 400 } });
    const page = await context.newPage();
    await page.goto(new URL('/maintenance/db-upgrade', server.url).href, { waitUntil: 'load' });
    await page.evaluate(() => {
      document.body.style.minHeight = '3000px';
      window.scrollTo(0, 200);
    });
    let seen = 0;
    page.on('response', (r) => { if (r.url().endsWith('/maintenance/db-upgrade') && r.request().resourceType() === 'fetch') seen++; });
    fixture.write('maintenance/db-upgrade.md', `---
title: Database upgrade, rescheduled
components: [api]
scheduled_start: ${iso(now + 24 * HOUR)}
scheduled_end: ${iso(now + 26 * HOUR)}
---
We will upgrade the database.
`);
    await eventually(async () => expect(await page.locator('h1').innerText()).toBe('Database upgrade, rescheduled'), 20_000);
    expect(seen).toBeGreaterThanOrEqual(1);
    expect(await page.title()).toContain('Database upgrade, rescheduled');
    expect(await page.evaluate(() => window.scrollY)).toBe(200);
    await context.close();
  });
});
