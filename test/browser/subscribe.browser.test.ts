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
    // The email form (the page also has the Slack and webhook form, with its own component boxes).
    const form = page.locator('form', { has: page.getByLabel('Email address') });
    await form.getByLabel('Email address').fill('grace@example.com');
    await form.getByLabel('Dashboard').check();
    await form.getByRole('button', { name: 'Subscribe', exact: true }).click();
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

  it('refuses a Slack URL on a private address without JavaScript, naming the field and keeping what was typed', async () => {
    const page = await open('/subscribe');
    const form = page.locator('form', { has: page.getByLabel('Webhook URL') });
    await form.getByLabel('Webhook URL').fill('http://127.0.0.1:9/hook');
    await form.getByLabel('Public API').check();
    await form.getByRole('button', { name: 'Subscribe channel' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByText('Webhook URL points at a private, loopback or link-local address').isVisible()).toBe(true);
    const again = page.locator('form', { has: page.getByLabel('Webhook URL') });
    expect(await again.getByLabel('Webhook URL').inputValue()).toBe('http://127.0.0.1:9/hook');
    expect(await again.getByLabel('Public API').isChecked()).toBe(true);
    await page.context().close();
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
