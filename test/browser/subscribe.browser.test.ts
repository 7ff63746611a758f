// Subscribing in a real browser without JavaScript; the subscription pages pass axe in light and dark.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { emailEnv, linkPath } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let browser: Browser;
const paths: Record<string, string> = {};

beforeAll(async () => {
  fixture = createFixture(Date.now());
  fake = await startFakeResend();
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: emailEnv(fake) }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

async function open(path: string, colorScheme: 'light' | 'dark' = 'light', width = 1280): Promise<Page> {
  const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
  return page;
}

/** Serious or critical axe violations on a page (axe itself needs JavaScript, so this context allows it). */
async function serious(path: string, colorScheme: 'light' | 'dark'): Promise<string[]> {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  })) as { id: string; impact: string | null; nodes: { target: string[] }[] }[];
  await context.close();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('subscribing in a browser', () => {
  it('subscribes from /subscribe with components, without JavaScript', async () => {
    const page = await open('/subscribe');
    await page.getByLabel('Email address').fill('grace@example.com');
    await page.getByLabel('Dashboard').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { name: 'Check your inbox' }).isVisible()).toBe(true);
    await page.context().close();
    await eventually(async () => expect(fake.deliveredTo('grace@example.com')).toHaveLength(1), 10_000);
    const mail = fake.deliveredTo('grace@example.com')[0]!;
    paths.confirm = linkPath(mail, '/subscribe/confirm/');
    paths.manage = linkPath(mail, '/manage/');
    paths.unsubscribe = linkPath(mail, '/unsubscribe/');
    const confirm = await open(paths.confirm);
    await confirm.getByRole('button', { name: 'Confirm subscription' }).click();
    await confirm.waitForLoadState('load');
    expect(await confirm.getByRole('heading', { name: 'You are subscribed' }).isVisible()).toBe(true);
    await confirm.context().close();
  });

  it.each(['light', 'dark'] as const)('the subscription pages pass axe in %s mode', async (scheme) => {
    for (const path of ['/subscribe', paths.manage!, paths.unsubscribe!]) expect(await serious(path, scheme), path).toEqual([]);
  });

  it('fits a 360 px screen', async () => {
    const page = await open('/subscribe', 'light', 360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
