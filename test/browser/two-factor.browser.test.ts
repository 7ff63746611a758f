// Two-factor sign-in in Chromium: the enrolment page draws its QR code as inline SVG (nothing loaded from
// elsewhere), the enrolment and second-step pages pass axe light and dark, and a real sign-in goes through both steps.
import { decodeBase32IgnorePadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { launchBrowser, violationsInBothSchemes } from '../helpers/browser.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { totpCodeAt, totpStep } from '../../src/lib/server/auth/totp-code.ts';

let fixture: Fixture;
let server: RunningServer;
let browser: Browser;
let admin: AdminClient;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir }), launchBrowser()]);
  admin = await firstAdmin(server);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fixture?.cleanup();
});

describe('two-factor sign-in in Chromium', () => {
  it('enrols with a locally drawn QR code, then signs in with password and code; both pages pass axe', async () => {
    const context = await browser.newContext();
    const [name, value] = admin.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    await page.goto(new URL('/admin/account', server.url).href);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()]);

    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(await page.locator('svg.totp-qr path').getAttribute('d')).toMatch(/^(M\d+ \d+h1v1h-1z)+$/);
    expect(await violationsInBothSchemes(page)).toEqual([]);

    await page.getByText("Can't scan it? Enter the key by hand").click();
    const uri = await page.locator('#totp-uri').innerText();
    const secret = encodeHexLowerCase(decodeBase32IgnorePadding(new URL(uri).searchParams.get('secret')!));
    const step = totpStep(Date.now());
    await page.getByLabel('Code from the app').fill(totpCodeAt(secret, step));
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Turn on' }).click()]);
    await expect(page.locator('.recovery-codes li').count()).resolves.toBe(10);
    expect(await violationsInBothSchemes(page)).toEqual([]);
    // Only this server was asked for anything.
    expect(requests.filter((u) => new URL(u).origin !== new URL(server.url).origin)).toEqual([]);
    await context.close();

    const fresh = await browser.newContext();
    const signIn = await fresh.newPage();
    await signIn.goto(new URL('/admin/login', server.url).href);
    await signIn.getByLabel('Email').fill(ADMIN_EMAIL);
    await signIn.getByLabel('Password').fill(ADMIN_PASSWORD);
    await Promise.all([signIn.waitForURL(/\/admin\/login\/code/), signIn.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    expect(await violationsInBothSchemes(signIn)).toEqual([]);
    // A wrong code: the refusal passes axe too.
    await signIn.getByLabel('Code').fill('000000' === totpCodeAt(secret, step + 1) ? '111111' : '000000');
    await Promise.all([signIn.waitForEvent('load'), signIn.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await signIn.getByRole('alert').waitFor();
    expect(await violationsInBothSchemes(signIn)).toEqual([]);
    await signIn.getByLabel('Code').fill(totpCodeAt(secret, step + 1));
    await Promise.all([signIn.waitForURL((u) => u.pathname === '/admin'), signIn.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    await fresh.close();
  }, 120_000);
});
