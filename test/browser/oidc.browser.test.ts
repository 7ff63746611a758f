// Single sign-on in Chromium: "Sign in with Acme ID" through the provider's own login page (oidc-provider on
// 127.0.0.1) lands signed in on /admin; the sign-in page with its button, and the refusal page, pass axe light and dark.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, violationsInBothSchemes } from '../helpers/browser.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startProvider, ssoEnv, type TestProvider } from '../helpers/oidc-provider.ts';
import { atPublicUrl, startServer, type RunningServer } from '../helpers/server.ts';

const shots = process.env.SCREENSHOT_DIR ?? null;
let fixture: Fixture;
let provider: TestProvider;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  const site = await atPublicUrl();
  provider = await startProvider([`${site.SITE_URL}/admin/login/sso/callback`]);
  provider.accounts.set('alice', { email: 'alice@acme.test', email_verified: true, groups: ['status-admins'] });
  provider.accounts.set('eve', { email: 'eve@evil.test', email_verified: true, groups: ['status-admins'] });
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: { ...site, ...ssoEnv(provider) } }), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await provider?.stop();
  fixture?.cleanup();
});

/** With SCREENSHOT_DIR set, a full-page screenshot of each scheme before axe runs on it. */
const screenshotAs = (page: Page, name: string) => async (scheme: 'light' | 'dark'): Promise<void> => {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}-${scheme}.png`), fullPage: true });
};

/** From our sign-in page through the provider's login and consent pages, as `login`. */
async function throughProvider(page: Page, login: string): Promise<void> {
  await page.goto(new URL('/admin/login', server.url).href);
  await Promise.all([page.waitForURL((u) => u.origin === provider.issuer), page.getByRole('link', { name: 'Sign in with Acme ID' }).click()]);
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('anything');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign-in' }).click()]);
  await Promise.all([page.waitForURL((u) => u.origin === new URL(server.url).origin), page.getByRole('button', { name: 'Continue' }).click()]);
  await page.waitForLoadState('load');
}

describe('single sign-on in Chromium', () => {
  it('the sign-in page with its single sign-on button passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(new URL('/admin/login', server.url).href);
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).waitFor();
    expect(await violationsInBothSchemes(page, screenshotAs(page, 'sso-login'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('clicking "Sign in with Acme ID" goes through the provider and lands signed in on /admin', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await throughProvider(page, 'alice');
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expect(page.getByText('alice@acme.test').first().isVisible()).resolves.toBe(true);
    await context.close();
  }, 60_000);

  it('a refused sign-in comes back to a clear page that passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await throughProvider(page, 'eve');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await expect(page.getByRole('alert').innerText()).resolves.toBe('Your email address is not in a domain allowed to sign in here. Ask an admin of this status page.');
    expect(await violationsInBothSchemes(page, screenshotAs(page, 'sso-refused'))).toEqual([]);
    await context.close();
  }, 60_000);
});
