// axe-core finds no violation of any impact on every page, public and admin, light and dark, at 1280 and 390 px;
// admin pages do not scroll sideways at 360 px. The page list is derived from src/pages: a new page without an
// entry in `pathsFor` fails here. Re-run alone with `npx vitest run test/browser/axe.browser.test.ts`;
// SCREENSHOT_DIR=/some/dir keeps a screenshot of every admin page per scheme at 1280 and 360 px.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, setupLinkFrom, type AdminClient } from '../helpers/admin-client.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { emailEnv, linkPath, postForm } from '../helpers/email-flow.ts';
import { startFakeResend, type FakeResend } from '../helpers/fake-resend.ts';
import { createFixture, HOUR, iso, type Fixture } from '../helpers/fixture.ts';
import { localTime, resolvedIncident } from '../helpers/postmortem.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { pageRoutes } from '../helpers/page-routes.ts';

const root = path.resolve(import.meta.dirname, '../..');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const shots = process.env.SCREENSHOT_DIR ?? null;
const now = Date.now();

let fixture: Fixture;
let fake: FakeResend;
let server: RunningServer;
let browser: Browser;
let admin: AdminClient;
/** Paths known only once the server runs (tokens, ids). */
const known: Record<string, string> = {};

/**
 * The concrete paths that cover each route (several where one route has distinct states). A function, since most
 * need ids or tokens the server hands out; `null` when a page cannot be reached in this setup, with the reason.
 */
const pathsFor: Record<string, () => string[]> = {
  '/': () => ['/'],
  '/404': () => ['/this-page-does-not-exist'],
  '/history': () => ['/history'],
  '/history/page/[n]': () => ['/history/page/2'],
  '/incidents/[id]': () => ['/incidents/open-api-errors', '/incidents/old-dashboard-outage', `/incidents/${known.incident}`, `/incidents/${known.openIncident}`],
  '/maintenance/[id]': () => ['/maintenance/db-upgrade', `/maintenance/${known.maintenance}`],
  '/postmortems': () => ['/postmortems'],
  '/postmortems/[id]': () => ['/postmortems/old-dashboard-outage'],
  '/reliability': () => ['/reliability'],
  '/subscribe': () => ['/subscribe'],
  '/subscribe/confirm/[token]': () => [known.confirm!],
  '/subscribe/channel/[token]': () => ['/subscribe/channel/not-a-real-token'],
  '/manage/[token]': () => [known.manage!],
  '/unsubscribe/[token]': () => [known.unsubscribe!],
  // 404 while all is well (the outage version is the same layout with other words).
  '/unavailable': () => ['/unavailable'],
  // 404 on this public site; the private page itself is checked in private-site.browser.test.ts.
  '/private': () => ['/private'],
  '/private/open/[token]': () => ['/private/open/not-a-real-token'],
  '/admin': () => ['/admin'],
  '/admin/account': () => ['/admin/account'],
  '/admin/alerts': () => ['/admin/alerts'],
  '/admin/api-keys': () => ['/admin/api-keys'],
  '/admin/audit': () => ['/admin/audit'],
  '/admin/channels': () => ['/admin/channels'],
  '/admin/components': () => ['/admin/components'],
  '/admin/emails': () => ['/admin/emails'],
  '/admin/emails/[id]': () => [`/admin/emails/${known.email}`],
  '/admin/incidents': () => ['/admin/incidents'],
  '/admin/incidents/new': () => ['/admin/incidents/new'],
  '/admin/incidents/[id]': () => [`/admin/incidents/${known.incident}`, `/admin/incidents/${known.openIncident}`, '/admin/incidents/open-api-errors'],
  '/admin/maintenance': () => ['/admin/maintenance'],
  '/admin/maintenance/[id]': () => ['/admin/maintenance/db-upgrade', `/admin/maintenance/${known.maintenance}`],
  '/admin/metrics': () => ['/admin/metrics'],
  '/admin/mirror': () => ['/admin/mirror'],
  '/admin/postmortems': () => ['/admin/postmortems'],
  '/admin/postmortems/[id]': () => [`/admin/postmortems/${known.incident}`, '/admin/postmortems/old-dashboard-outage'],
  '/admin/subscribers': () => ['/admin/subscribers'],
  '/admin/users': () => ['/admin/users'],
  '/admin/forbidden': () => ['/admin/forbidden'],
  // Signed out: the sign-in pages as a stranger sees them (setup with its real link, checked before it is used).
  '/admin/login': () => ['/admin/login'],
  // Reached only with a pending sign-in (password right, TOTP on): axe-checked in two-factor.browser.test.ts.
  '/admin/login/code': () => [],
  '/admin/reset': () => [known.reset!],
  '/admin/setup': () => [known.setup!],
};

const signedOut = new Set(['/admin/login', '/admin/reset', '/admin/setup']);
const combos = [['light', 1280], ['dark', 1280], ['light', 390], ['dark', 390]] as const;
const contexts = new Map<string, BrowserContext>();

async function contextFor(scheme: 'light' | 'dark', width: number, signedIn: boolean): Promise<BrowserContext> {
  const key = `${scheme}:${width}:${signedIn}`;
  let context = contexts.get(key);
  if (!context) {
    context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
    context.setDefaultTimeout(60_000);
    context.setDefaultNavigationTimeout(60_000);
    if (signedIn) {
      const [name, value] = admin.cookie!.split('=') as [string, string];
      await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    }
    contexts.set(key, context);
  }
  return context;
}

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Every axe violation on the page, one line per node, naming page, scheme, width, rule and node. */
async function violations(route: string, url: string, scheme: 'light' | 'dark', width: number, act?: (page: Page) => Promise<void>): Promise<string[]> {
  const context = await contextFor(scheme, width, route.startsWith('/admin') && !signedOut.has(route));
  const page = await context.newPage();
  try {
    await page.goto(new URL(url, server.url).href, { waitUntil: 'load' });
    if (act) await act(page);
    await page.evaluate(axeSource);
    const found = (await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
      return (await axe.run(document, { resultTypes: ['violations'] })).violations;
    })) as AxeResult[];
    return found.flatMap((v) => v.nodes.map((n) => `${url} [${scheme} ${width}px] ${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)})` : ''}`));
  } finally {
    await page.close();
  }
}

/** Sideways overflow at 360 px (0 when the page fits), with a screenshot at 1280 and 360 px if asked. */
async function overflowAt360(route: string, url: string): Promise<string[]> {
  const problems: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    const context = await contextFor(scheme, 360, !signedOut.has(route));
    const page = await context.newPage();
    await page.goto(new URL(url, server.url).href, { waitUntil: 'load' });
    const landed = new URL(page.url());
    if (landed.pathname + landed.search !== url) problems.push(`${url} [${scheme} 360px] landed on ${landed.pathname} instead`);
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    if (width > 360) {
      // The widest elements not inside a box that scrolls or clips them (those are where the overflow comes from).
      const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
        .filter((e) => {
          if (e.getBoundingClientRect().right <= 361) return false;
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
          return true;
        })
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ').join('.')}` : ''} (right ${Math.round(e.getBoundingClientRect().right)})`));
      problems.push(`${url} [${scheme} 360px] scrollWidth ${width} > 360: ${wide.join(', ')}`);
    }
    if (shots) {
      const name = url.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60);
      await page.screenshot({ path: path.join(shots, `${name}-${scheme}-360.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: path.join(shots, `${name}-${scheme}-1280.png`), fullPage: true });
    }
    await page.close();
  }
  return problems;
}

/** axe at the four scheme × width combinations, run side by side. */
async function checkAll(route: string, url: string, act?: (page: Page) => Promise<void>): Promise<string[]> {
  return (await Promise.all(combos.map(([scheme, width]) => violations(route, url, scheme, width, act)))).flat();
}

beforeAll(async () => {
  if (shots) fs.mkdirSync(shots, { recursive: true });
  fixture = createFixture(now);
  // /reliability is opt-in.
  fixture.write('site.yaml', ['name: Acme Cloud', 'url: https://status.acme.test', 'description: Status of Acme Cloud', 'timezone: UTC', 'support_url: https://support.acme.test', 'show_reliability: true'].join('\n'));
  fixture.write('postmortems/old-dashboard-outage.md', `---
incident: old-dashboard-outage
title: Dashboard outage caused by an expired certificate
published: ${iso(now - 20 * HOUR)}
---
## Summary
The dashboard was down for two hours because its TLS certificate expired.

## Action Items
- [x] Renew the certificate and move it to automated renewal (Priya Natarajan, 2026-11-20)
- [ ] Add expiry alerts for every public hostname (Tom Okafor, 2026-12-04)
`);
  // Enough past incidents for a second history page (25 a page).
  for (let i = 0; i < 26; i++) {
    const start = now - (i + 3) * 24 * HOUR;
    fixture.write(`incidents/past-${i}.md`, `---
title: Search slow, number ${i + 1}
severity: P3
components:
  docs: degraded_performance
detected: ${iso(start)}
updates:
  - at: ${iso(start)}
    status: investigating
    message: Search is slow.
  - at: ${iso(start + HOUR)}
    status: resolved
    message: Search is fast again.
---
`);
  }
  fake = await startFakeResend();
  [server, browser] = await Promise.all([startServer({ contentDir: fixture.dir, env: emailEnv(fake) }), launchBrowser()]);
  known.setup = new URL(setupLinkFrom(server.output())).pathname + new URL(setupLinkFrom(server.output())).search;
}, 120_000);
afterAll(async () => {
  for (const c of contexts.values()) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
  await fake?.close();
  fixture?.cleanup();
});

describe('every page is covered', () => {
  it('each .astro page under src/pages has paths to check in pathsFor', () => {
    const missing = pageRoutes({ endpoints: false }).filter((r) => !(r in pathsFor));
    expect(missing, 'add these routes to pathsFor in test/browser/axe.browser.test.ts').toEqual([]);
    const gone = Object.keys(pathsFor).filter((r) => !pageRoutes({ endpoints: false }).includes(r));
    expect(gone, 'these routes in pathsFor no longer exist').toEqual([]);
  });
});

describe('the setup page, before the first admin exists', () => {
  it('passes axe and fits 360 px', async () => {
    const problems = [...await checkAll('/admin/setup', known.setup!), ...await overflowAt360('/admin/setup', known.setup!)];
    expect(problems, problems.join('\n')).toEqual([]);
  }, 120_000);
});

describe('with an admin, an incident, a post-mortem draft, a subscriber and an email', () => {
  beforeAll(async () => {
    admin = await firstAdmin(server);
    known.incident = await resolvedIncident(admin, 'Checkout API errors');
    // An open incident declared in admin (the update form, clocks and escalation), and maintenance scheduled there.
    const declared = await admin.post('/admin/incidents/new', { title: 'Webhook deliveries delayed', severity: 'P2', 'component.dashboard': 'degraded_performance', detected: localTime(-20), message: 'We are investigating delayed webhook deliveries.', notify: 'auto' });
    expect(declared.status).toBe(303);
    known.openIncident = declared.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
    const scheduled = await admin.post('/admin/maintenance', { title: 'Network maintenance', components: 'api', scheduled_start: localTime(60 * 24), scheduled_end: localTime(60 * 25), message: 'We will replace a core switch.', body: 'No downtime is expected.' });
    expect(scheduled.status, await scheduled.clone().text()).toBe(303);
    known.maintenance = scheduled.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;
    // An invited user's password link (resetting one's own would end this session).
    const reset = await admin.post('/admin/users', { action: 'invite', email: 'second@acme.test', role: 'admin' });
    known.reset = /\/admin\/reset\?token=\w+/.exec(await reset.text())?.[0] ?? '/admin/reset?token=missing';
    const email = 'reader@example.com';
    expect((await postForm(server, '/subscribe', [['email', email]])).status).toBe(200);
    await eventually(async () => expect(fake.deliveredTo(email)).toHaveLength(1), 30_000);
    const mail = fake.deliveredTo(email)[0]!;
    known.confirm = linkPath(mail, '/subscribe/confirm/');
    known.manage = linkPath(mail, '/manage/');
    known.unsubscribe = linkPath(mail, '/unsubscribe/');
    const emails = await (await admin.get('/admin/emails')).text();
    known.email = /href="\/admin\/emails\/([^"/]+)"/.exec(emails)?.[1] ?? 'missing';
  }, 120_000);

  const checked = pageRoutes({ endpoints: false }).filter((r) => r !== '/admin/setup' && r in pathsFor);
  it.each(checked)('%s passes axe, light and dark, at 1280 and 390 px', async (route) => {
    const problems: string[] = [];
    for (const url of pathsFor[route]!()) {
      const status = (await server.get(url, { headers: route.startsWith('/admin') && !signedOut.has(route) ? { cookie: admin.cookie! } : {} })).status;
      // The private site's pages answer 404 on this public site (their private versions: private-site.browser.test.ts).
      if (route !== '/404' && route !== '/unavailable' && route !== '/admin/forbidden' && !route.startsWith('/private')) expect(status, `${url} answered ${status}`).toBe(200);
      problems.push(...await checkAll(route, url));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  }, 180_000);

  // Forms refused (sent empty, or a wrong password): the refusal with its fields marked must pass too.
  it.each([
    ['/admin/incidents/new', 'Post incident'],
    ['/admin/maintenance', 'Schedule'],
    ['/admin/login', 'Sign in'],
  ])('%s refused passes axe', async (url, button) => {
    const problems = await checkAll(url, url, async (page) => {
      if (url === '/admin/login') {
        await page.getByLabel('Email').fill('nobody@acme.test');
        await page.getByLabel('Password').fill('not the password');
      }
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: button, exact: true }).click()]);
      await page.getByRole('alert').first().waitFor();
    });
    expect(problems, problems.join('\n')).toEqual([]);
  }, 120_000);

  it.each(checked.filter((r) => r.startsWith('/admin')))('%s does not scroll sideways at 360 px', async (route) => {
    const problems: string[] = [];
    for (const url of pathsFor[route]!()) problems.push(...await overflowAt360(route, url));
    expect(problems, problems.join('\n')).toEqual([]);
  }, 120_000);
});

// The example content (content/): everything operational, groups, many incidents; what a new install shows.
describe('the example content', () => {
  let example: RunningServer;
  let saved: RunningServer;
  beforeAll(async () => {
    example = await startServer({ contentDir: path.join(root, 'content') });
    saved = server;
    server = example;
  }, 120_000);
  afterAll(async () => {
    server = saved;
    await example?.stop();
  });

  it('the public pages pass axe, light and dark, at 1280 and 390 px', async () => {
    const home = await (await example.get('/')).text();
    const history = await (await example.get('/history')).text();
    const first = (prefix: string): string[] => {
      const m = new RegExp(`href="(/${prefix}/[^"#?]+)"`).exec(home + history);
      return m ? [m[1]!] : [];
    };
    const urls = ['/', '/history', '/postmortems', '/subscribe', ...first('incidents'), ...first('maintenance'), ...first('postmortems')];
    expect(urls.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const url of urls) problems.push(...await checkAll(url, url));
    expect(problems, problems.join('\n')).toEqual([]);
  }, 300_000);
});
