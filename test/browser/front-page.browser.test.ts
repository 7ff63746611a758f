// The front page in Chromium: day tooltips stay inside the screen (first and last day, hover and focus, 1280 and
// 390 px) with reachable incident links; groups fold without JavaScript; bars differ without colour; the open
// incident shows its newest three updates; the subscribe menu offers every channel; the example content fits two screens.
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { simulatedLightness } from '../helpers/color-vision.ts';
import { createFixture, HOUR, iso, MINUTE, type Fixture } from '../helpers/fixture.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

const DAY = 24 * HOUR;
const now = Date.now();
// The first day of the 90-day window, in the fixture's zone (UTC).
const firstDayStart = Math.floor(now / DAY) * DAY - 89 * DAY;
let fixture: Fixture;
let server: RunningServer;
let example: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = createFixture(now);
  fixture.write('components.yaml', `
- id: core
  name: Core
  components:
    - { id: api, name: Public API, description: REST endpoints }
    - { id: dashboard, name: Dashboard }
- id: edge
  name: Edge network
  components:
    - { id: cdn, name: CDN, description: Static files at the edge }
- { id: docs, name: Documentation }
`);
  // Five updates, so the front page shows three of them and links to the rest.
  fixture.write('incidents/open-api-errors.md', `---
title: Elevated API error rates
severity: P1
components:
  api: partial_outage
detected: ${iso(now - 40 * MINUTE)}
updates:
${[35, 28, 21, 14, 7].map((ago, k) => `  - at: ${iso(now - ago * MINUTE)}
    status: ${k === 0 ? 'investigating' : 'identified'}
    message: Update number ${k + 1}.`).join('\n')}
---
`);
  // An incident on the window's first day, so the first bar has a link too.
  fixture.write('incidents/first-day-outage.md', `---
title: Early gateway outage
severity: P1
components:
  api: major_outage
started: ${iso(firstDayStart + 10 * HOUR)}
updates:
  - at: ${iso(firstDayStart + 10 * HOUR + 5 * MINUTE)}
    status: investigating
    message: The gateway is down.
  - at: ${iso(firstDayStart + 11 * HOUR)}
    status: resolved
    message: Fixed.
---
`);
  [server, example, browser] = await Promise.all([
    startServer({ contentDir: fixture.dir, env: await atPublicUrl() }),
    startServer({ contentDir: path.resolve(import.meta.dirname, '../../content') }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), example?.stop()]);
  fixture?.cleanup();
});

async function open(width: number, options: { colorScheme?: 'light' | 'dark'; javaScriptEnabled?: boolean; url?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: options.colorScheme ?? 'light', javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  const response = await page.goto(options.url ?? server.url);
  expect(response?.status()).toBe(200);
  return page;
}

/** The tooltip's box, and whether it lies inside the viewport and is opaque. */
async function tipBox(tip: Locator): Promise<{ left: number; right: number; top: number; bottom: number; vw: number; vh: number; background: string; opacity: number; onTop: boolean }> {
  return tip.evaluate((el) => {
    const r = el.getBoundingClientRect();
    let opacity = 1;
    for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    // Not clipped by an ancestor's overflow nor covered by a later row: its corners are its own to the hit test.
    const corners = [[r.left + 3, r.top + 3], [r.right - 3, r.top + 3], [r.left + 3, r.bottom - 3], [r.right - 3, r.bottom - 3]] as const;
    const onTop = corners.every(([x, y]) => el.contains(document.elementFromPoint(x, y)));
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, vw: document.documentElement.clientWidth, vh: window.innerHeight, background: getComputedStyle(el).backgroundColor, opacity, onTop };
  });
}

function expectInside(box: Awaited<ReturnType<typeof tipBox>>): void {
  expect(box.left).toBeGreaterThanOrEqual(0);
  expect(box.right).toBeLessThanOrEqual(box.vw);
  expect(box.top).toBeGreaterThanOrEqual(0);
  expect(box.bottom).toBeLessThanOrEqual(box.vh);
  expect(box.right - box.left).toBeGreaterThan(100);
  expect(box.onTop).toBe(true);
  // Opaque: a solid background and no translucent ancestor.
  expect(box.background).toMatch(/^rgb\(/);
  expect(box.opacity).toBe(1);
}

describe.each([1280, 390])('day tooltips at %i px', (width) => {
  const days = (page: Page): Locator => page.locator('.component', { hasText: 'Public API' }).locator('.bars li');

  it.each(['hover', 'focus'] as const)('the first and the last day show inside the screen on %s, with the incident link', async (how) => {
    const page = await open(width);
    const all = days(page);
    expect(await all.count()).toBe(90);
    // At 390 px only the last 30 days show.
    const firstVisible = width === 390 ? all.nth(60) : all.first();
    for (const [day, incident] of [[firstVisible, width === 390 ? null : 'Early gateway outage'], [all.last(), 'Elevated API error rates']] as const) {
      await day.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      if (how === 'hover') await day.hover();
      else await day.focus();
      const tip = day.locator('.tip');
      expect(await tip.isVisible()).toBe(true);
      expectInside(await tipBox(tip));
      const text = (await tip.textContent())!;
      expect(text).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}/);
      expect(text).toMatch(/\d+\.\d\d% uptime/);
      if (incident) {
        expect(text).toMatch(incident === 'Early gateway outage' ? /Major outage\d+ (h|min)/ : /Partial outage\d+ (h|min)/);
        const link = tip.getByRole('link', { name: incident });
        expect(await link.isVisible()).toBe(true);
        expect(await link.getAttribute('href')).toBe(incident === 'Early gateway outage' ? '/incidents/first-day-outage' : '/incidents/open-api-errors');
        if (how === 'focus') {
          // The link is reachable: tabbing into it keeps the tooltip open.
          await page.keyboard.press('Tab');
          expect(await link.evaluate((a) => a === document.activeElement)).toBe(true);
          expect(await tip.isVisible()).toBe(true);
          expectInside(await tipBox(tip));
        } else {
          // The pointer can travel from the bar into the tooltip and click the link.
          await link.hover();
          expect(await tip.isVisible()).toBe(true);
        }
      }
      await page.mouse.move(0, 0);
      await page.locator('h1').click();
    }
    await page.context().close();
  });
});

describe('folding without JavaScript', () => {
  it('opens the group with a problem on load, keeps the quiet one closed until its summary is clicked, and hides descriptions behind ⓘ', async () => {
    const page = await open(1280, { javaScriptEnabled: false });
    const core = page.locator('details#group-core');
    const edge = page.locator('details#group-edge');
    expect(await core.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await edge.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.getByRole('heading', { name: 'CDN' }).isVisible()).toBe(false);
    // Each group has its own bar, visible while folded.
    expect(await edge.locator('> summary .bars li').count()).toBe(90);
    expect(await edge.locator('> summary .uptime-figure').textContent()).toBe('100.00% uptime');
    await edge.locator('> summary').click();
    expect(await edge.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await page.getByRole('heading', { name: 'CDN' }).isVisible()).toBe(true);

    const description = page.getByText('REST endpoints', { exact: true });
    expect(await description.isVisible()).toBe(false);
    await page.getByLabel('About Public API').click();
    expect(await description.isVisible()).toBe(true);
    await page.context().close();
  });
});

describe('bars without colour', () => {
  it.each(['light', 'dark'] as const)('degraded, partial and major differ in lightness under protanopia and deuteranopia, and partial is striped (%s)', async (colorScheme) => {
    const page = await open(1280, { colorScheme });
    const style = async (level: string): Promise<{ color: string; image: string }> => page.locator(`.legend .swatch.d-${level}`).evaluate((e) => ({
      color: getComputedStyle(e).backgroundColor, image: getComputedStyle(e).backgroundImage,
    }));
    const levels = { degraded: await style('degraded'), partial: await style('partial'), major: await style('major') };
    for (const deficiency of ['none', 'protanopia', 'deuteranopia'] as const) {
      const [d, p, m] = [levels.degraded, levels.partial, levels.major].map((s) => simulatedLightness(s.color, deficiency));
      // A clear ladder: degraded lightest, major darkest, at least 12 L* apart at each step.
      expect(d! - p!, deficiency).toBeGreaterThanOrEqual(12);
      expect(p! - m!, deficiency).toBeGreaterThanOrEqual(12);
    }
    expect(levels.partial.image).toContain('repeating-linear-gradient');
    expect(levels.degraded.image).toBe('none');
    expect(levels.major.image).toBe('none');
    // The bars carry the same marks as the legend.
    const bar = await page.locator('.bars li.d-partial').first().evaluate((e) => getComputedStyle(e).backgroundImage);
    expect(bar).toBe(levels.partial.image);
    await page.context().close();
  });
});

describe('the top of the page', () => {
  it('names the state in the tab title and shows the open incident’s newest three updates with a link to all', async () => {
    const page = await open(1280, { javaScriptEnabled: false });
    expect(await page.title()).toBe('Partial System Outage · Acme Cloud Status');
    const card = page.locator('article.incident', { hasText: 'Elevated API error rates' });
    const updates = card.locator('.timeline > li');
    expect(await updates.count()).toBe(3);
    expect((await updates.allTextContents()).map((t) => /Update number (\d)/.exec(t)?.[1])).toEqual(['5', '4', '3']);
    const all = card.getByRole('link', { name: 'Show all 5 updates' });
    expect(await all.getAttribute('href')).toBe('/incidents/open-api-errors');
    await page.context().close();
  });

  it.each([1280, 390])('offers every channel in the Subscribe to updates menu, without JavaScript (%i px)', async (width) => {
    const page = await open(width, { javaScriptEnabled: false });
    const menu = page.locator('details.subscribe-menu');
    expect(await menu.locator('a').first().isVisible()).toBe(false);
    await page.getByText('Subscribe to updates').click();
    const links = await menu.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['/subscribe#email', '/subscribe#channels', '/history.atom', '/history.rss', '/maintenance.ics', '/api/v2/summary.json']);
    for (const name of ['Email', 'Slack or webhook', 'Atom feed', 'RSS feed', 'Maintenance calendar', 'JSON API']) {
      const link = menu.getByRole('link', { name: new RegExp(`^${name}`) });
      expect(await link.isVisible(), name).toBe(true);
      const box = (await link.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
    // The anchors it links to exist.
    await page.goto(new URL('/subscribe', server.url).href);
    expect(await page.locator('#email').count()).toBe(1);
    expect(await page.locator('#channels').count()).toBe(1);
    await page.context().close();
  });
});

describe('the example content', () => {
  it('fits in about two screens at 1280 px', async () => {
    const page = await open(1280, { url: example.url });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`front page of content/ at 1280 px: ${height} px tall`);
    expect(height).toBeLessThanOrEqual(2000);
    await page.context().close();
  });
});
