// Post-mortems in Chromium, light and dark, wide and narrow: the refusal, the confirmation and the public page with
// action items pass axe; action items say their state in text and no checkbox is drawn. Screenshots are kept.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/connection.ts';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { seedSubscribers } from '../helpers/email-db.ts';
import { createFixture, HOUR, iso, type Fixture } from '../helpers/fixture.ts';
import { editorBody, fillTemplate, resolvedIncident } from '../helpers/postmortem.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const shots = process.env.SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-shots-'));
const now = Date.now();
let fixture: Fixture;
let server: RunningServer;
let browser: Browser;
let admin: AdminClient;
let incidentId: string;
let template: string;

const withActionItems = `---
incident: old-dashboard-outage
title: Dashboard outage caused by an expired certificate
published: ${iso(now - 20 * HOUR)}
---
## Summary
The dashboard was down for two hours because its TLS certificate expired.

## Action Items
- [x] Renew the certificate and move it to automated renewal (Priya Natarajan, 2026-11-20)
- [ ] Add expiry alerts for every public hostname, warning at 30 days and paging at 14 days, from external probes (Tom Okafor, 2026-12-04)
- [ ] Update the runbook with a certificate replacement procedure (Tom Okafor, 2026-12-11)
`;

beforeAll(async () => {
  fixture = createFixture(now);
  fixture.write('postmortems/old-dashboard-outage.md', withActionItems);
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: await atPublicUrl() }), launchBrowser()]);
  admin = await firstAdmin(server);
  const db = openDb(path.join(server.dataDir, 'status.db'));
  await seedSubscribers(db, 1234, { components: ['api'], prefix: 'reader', domain: 'subscribers.test' });
  await db.destroy();
  incidentId = await resolvedIncident(admin, 'Checkout API errors');
  template = editorBody(await (await admin.get(`/admin/postmortems/${incidentId}`)).text());
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function open(scheme: 'light' | 'dark', width: number, signedIn: boolean): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
  if (signedIn) {
    const [name, value] = admin.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** No page scrolls sideways. */
const fits = (page: Page): Promise<boolean> => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

const combos = [['light', 1280], ['dark', 1280], ['light', 390], ['dark', 390]] as const;

describe.each(combos)('post-mortems in %s mode at %i px', (scheme, width) => {
  it('the editor refuses publishing with each placeholder named, then asks who will be emailed', async () => {
    const { context, page, errors } = await open(scheme, width, true);
    await page.goto(new URL(`/admin/postmortems/${incidentId}`, server.url).href);
    await page.getByRole('button', { name: 'Publish…' }).click();
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toContain('Not published, and nothing was emailed');
    expect(await alert.textContent()).toMatch(/Line \d+: Number of users affected/);
    expect(await page.getByLabel('Post-mortem (markdown)').inputValue()).toBe(template);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await fits(page)).toBe(true);
    await page.screenshot({ path: path.join(shots, `admin-postmortem-refused-${scheme}-${width}.png`), fullPage: true });

    await page.getByLabel('Post-mortem (markdown)').fill(fillTemplate(template));
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.locator('#preview-title + .prose');
    expect(await preview.locator('input').count()).toBe(0);
    expect(await preview.locator('li.task').first().textContent()).toMatch(/^Done: Fix root cause/);

    await page.getByRole('button', { name: 'Publish…' }).click();
    const panel = page.getByRole('region', { name: 'Publish and email 1,234 subscribers?' });
    expect(await panel.isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Publish and email 1,234 subscribers' }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await fits(page)).toBe(true);
    await page.screenshot({ path: path.join(shots, `admin-postmortem-confirm-${scheme}-${width}.png`), fullPage: true });
    // The refusal is answered 400 (as every refused form is), which Chromium logs; nothing else may be.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await context.close();
  });

  it('the public post-mortem shows action items with their state in text, no checkboxes, and passes axe', async () => {
    const { context, page, errors } = await open(scheme, width, false);
    const response = await page.goto(new URL('/postmortems/old-dashboard-outage', server.url).href);
    expect(response?.status()).toBe(200);
    expect(await page.locator('input[type="checkbox"]').count()).toBe(0);
    const items = await page.locator('.prose li.task').allTextContents();
    expect(items).toEqual([
      'Done: Renew the certificate and move it to automated renewal (Priya Natarajan, 2026-11-20)',
      'Open: Add expiry alerts for every public hostname, warning at 30 days and paging at 14 days, from external probes (Tom Okafor, 2026-12-04)',
      'Open: Update the runbook with a certificate replacement procedure (Tom Okafor, 2026-12-11)',
    ]);
    expect(await page.locator('.prose li.task .task-state').first().isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await fits(page)).toBe(true);
    await page.screenshot({ path: path.join(shots, `public-postmortem-${scheme}-${width}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});

it('confirming publishes the admin post-mortem, whose action items read the same', async () => {
  const { context, page } = await open('light', 1280, true);
  await page.goto(new URL(`/admin/postmortems/${incidentId}`, server.url).href);
  await page.getByLabel('Title').fill('Checkout API errors post-mortem');
  await page.getByLabel('Post-mortem (markdown)').fill(fillTemplate(template));
  await page.getByRole('button', { name: 'Publish…' }).click();
  await page.getByRole('button', { name: 'Publish and email 1,234 subscribers' }).click();
  await page.waitForURL(/\?saved=publish$/);
  expect(await page.getByRole('status').textContent()).toContain('Published');
  await page.goto(new URL(`/postmortems/${incidentId}`, server.url).href);
  expect(await page.locator('.prose li.task').first().textContent()).toBe('Done: Fix root cause (Priya Natarajan, 2026-12-04)');
  expect(await page.locator('input[type="checkbox"]').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});
