// Passkeys in Chromium with the DevTools virtual authenticator (a platform authenticator with resident keys and user
// verification): add one on the account page, sign in with password and passkey, then with the passkey alone,
// remove it; each new state passes axe light and dark. Without JavaScript the passkey controls stay hidden and the
// password works. The site is browsed at http://localhost (WebAuthn refuses an IP address as the rp id).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { launchBrowser, violationsInBothSchemes } from '../helpers/browser.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { freePort, startServer, type RunningServer } from '../helpers/server.ts';

let fixture: Fixture;
let server: RunningServer;
let browser: Browser;
let admin: AdminClient;
let site: string;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  const port = await freePort();
  site = `http://localhost:${port}`;
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: { PORT: String(port), SITE_URL: site } }), launchBrowser()]);
  admin = await firstAdmin(server);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});

/** A page with a virtual platform authenticator attached (it lives as long as the page). */
async function pageWithAuthenticator(context: BrowserContext): Promise<{ page: Page; credentials: () => Promise<{ signCount: number; isResidentCredential: boolean }[]> }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { page, credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials };
}

async function signOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/\/admin\/login/), page.getByRole('button', { name: 'Sign out', exact: true }).click()]);
}

describe('passkeys in Chromium', () => {
  it('adds a passkey, signs in with password and passkey, then with the passkey alone, and removes it', async () => {
    const context = await browser.newContext();
    const [name, value] = admin.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url: site, httpOnly: true, sameSite: 'Lax' }]);
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const { page, credentials } = await pageWithAuthenticator(context);

    await page.goto(`${site}/admin/account`);
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await page.getByText('No passkeys yet.').waitFor();
    // The name is required before the browser is asked.
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    expect(await page.getByLabel('Name of the new passkey').evaluate((el: HTMLInputElement) => el.validity.valueMissing)).toBe(true);
    expect(await violationsInBothSchemes(page)).toEqual([]);
    await page.getByLabel('Name of the new passkey').fill('Test laptop');
    await Promise.all([page.waitForURL(/passkey=added/), page.getByRole('button', { name: 'Add a passkey' }).click()]);
    await page.getByRole('status').filter({ hasText: 'The passkey is added.' }).waitFor();
    const row = page.getByRole('row', { name: /Test laptop/ });
    await expect(row.getByRole('cell').nth(2).innerText()).resolves.toBe('Never');
    expect(await violationsInBothSchemes(page)).toEqual([]);
    expect(await credentials()).toMatchObject([{ isResidentCredential: true }]);

    // Password, then the passkey as the second step.
    await signOut(page);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/login\/code/), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await expect(page.locator('.lede').innerText()).resolves.toBe('Use your passkey to finish signing in.');
    // A passkey-only user has no code to type: no code field.
    expect(await page.getByLabel('Code').count()).toBe(0);
    expect(await violationsInBothSchemes(page)).toEqual([]);
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin'), page.getByRole('button', { name: 'Use a passkey' }).click()]);
    const countAfterSecondStep = (await credentials())[0]!.signCount;

    // The passkey alone.
    await signOut(page);
    expect(await violationsInBothSchemes(page)).toEqual([]);
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin'), page.getByRole('button', { name: 'Sign in with a passkey' }).click()]);
    // The authenticator's counter moved on once more, and the server took it.
    expect((await credentials())[0]!.signCount).toBe(countAfterSecondStep + 1);

    await page.goto(`${site}/admin/account`);
    await expect(row.getByRole('cell').nth(2).innerText()).resolves.not.toBe('Never');
    const audit = await (await page.request.get(`${site}/admin/audit`)).text();
    expect(audit).toContain('passkey added');
    expect(audit).toContain('passkey (Test laptop), no password');
    expect(audit).toContain('password and a passkey (Test laptop)');

    await Promise.all([page.waitForURL(/passkey=removed/), row.getByRole('button', { name: 'Remove passkey Test laptop' }).click()]);
    await page.getByText('No passkeys yet.').waitFor();
    expect(await violationsInBothSchemes(page)).toEqual([]);
    expect(await (await page.request.get(`${site}/admin/audit`)).text()).toContain('passkey removed');

    // The authenticator still holds the credential, but the site no longer accepts it: the refusal is shown.
    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('alert').filter({ hasText: 'That passkey was not accepted' }).waitFor();
    expect(await violationsInBothSchemes(page)).toEqual([]);
    expect(page.url()).toMatch(/\/admin\/login/);
    // Only this server was asked for anything.
    expect(requests.filter((u) => new URL(u).origin !== site)).toEqual([]);
    await context.close();
  }, 180_000);

  // After the test above removed the passkey: the password alone signs in again.
  it('without JavaScript shows no passkey controls and signs in with the password', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site}/admin/login`);
    expect(await page.getByRole('button', { name: 'Sign in with a passkey' }).isVisible()).toBe(false);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await page.goto(`${site}/admin/account`);
    expect(await page.getByRole('button', { name: 'Add a passkey' }).isVisible()).toBe(false);
    // (Chromium's parser with scripts turned off by DevTools still treats <noscript> as inert, so read the markup.)
    expect(await page.content()).toContain('<noscript><p class="hint">Adding a passkey needs JavaScript.</p></noscript>');
    await context.close();
  }, 60_000);
});
