// Three stakeholder emails rendered in Chromium at 600 px, light and dark: readable (axe contrast) and screenshotted.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentEmailData, postmortemEmailData, type SiteForEmail } from '../../src/lib/server/email/compose.ts';
import { linksFor } from '../../src/lib/server/email/email-data.ts';
import { renderEmail, type RenderedEmail } from '../../src/lib/server/email/template.ts';
import { postmortemTemplate } from '../../src/lib/status/postmortem-template.ts';
import type { Incident, IncidentUpdate } from '../../src/lib/status/types.ts';
import { launchBrowser } from '../helpers/browser.ts';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Set EMAIL_SCREENSHOTS=/some/dir to keep the PNGs for review. */
const shots = process.env.EMAIL_SCREENSHOTS ?? null;
const t = (hhmm: string): number => Date.parse(`2026-11-20T${hhmm}:00Z`);
const ctx: SiteForEmail = {
  site: {
    name: 'Kaizen AI', url: 'https://status.kaizen.example', description: '', timezone: 'Europe/London', supportUrl: null,
    emailSignature: 'Engineering Team', logo: '/logo.png', showReliability: false,
  },
  components: [
    { id: 'inference', name: 'Inference API', description: null, baseline: 'operational', groupId: null, position: 0 },
    { id: 'dashboard', name: 'Dashboard', description: null, baseline: 'operational', groupId: null, position: 1 },
  ],
  baseUrl: 'https://status.kaizen.example',
};
const investigating: IncidentUpdate = {
  id: 'u1', at: t('10:05'), status: 'investigating', components: null,
  message: 'We are investigating reports of **elevated error rates** on the [Inference API](/components/inference).\n\n- Requests to `/v1/generate` fail with `503` for about 30% of callers\n- The dashboard loads slowly\n\nUpdates will be provided every 15 minutes.',
};
const identified: IncidentUpdate = {
  id: 'u2', at: t('10:40'), status: 'identified', components: { inference: 'partial_outage' },
  message: 'We have identified the cause as a bad deploy of the router. Working on mitigation. ETA: 11:10 GMT',
};
const resolved: IncidentUpdate = {
  id: 'u3', at: t('11:15'), status: 'resolved', components: null,
  message: 'Issue has been resolved. All systems operational.\nPost-mortem will be published within **48 hours**.',
};
const incident = (updates: IncidentUpdate[]): Incident => ({
  id: '2026-11-20-inference-errors', source: 'admin', title: 'Elevated error rates on the Inference API', severity: 'P1', impactOverride: null,
  components: { inference: 'major_outage', dashboard: 'degraded_performance' }, startedAt: t('10:03'), detectedAt: t('10:04'),
  acknowledgedAt: t('10:05'), mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates,
});
const links = linksFor(ctx.baseUrl, 'PREVIEW-TOKEN');

function postmortem(): RenderedEmail {
  const full = incident([resolved, identified, investigating]);
  const draft = postmortemTemplate(full, 'Europe/London', t('12:00'));
  const body = draft.body
    .replace('Number of users affected', 'About 1,200 API customers')
    .replace('- Users affected: X', '- Users affected: about 1,200 API customers (30% of requests failed)')
    .replace('- Revenue impact: $X', '- Revenue impact: none expected; credits offered under the SLA');
  return renderEmail(postmortemEmailData(ctx, full, { id: full.id, title: draft.title, body }), links);
}

const emails: Record<string, () => RenderedEmail> = {
  'investigating-markdown': () => renderEmail(incidentEmailData(ctx, incident([investigating]), investigating), links),
  resolved: () => renderEmail(incidentEmailData(ctx, incident([resolved, identified, investigating]), resolved), links),
  postmortem,
};

let browser: Browser;
let logo: Buffer;

beforeAll(async () => {
  browser = await launchBrowser();
  // A PNG logo (email clients do not show SVG), drawn from the site's own favicon.
  const page = await browser.newPage({ viewport: { width: 64, height: 64 } });
  await page.setContent(`<body style="margin:0">${fs.readFileSync(path.resolve(import.meta.dirname, '../../public/favicon.svg'), 'utf8').replace('<svg ', '<svg width="64" height="64" ')}</body>`);
  logo = await page.screenshot({ omitBackground: true });
  await page.close();
  if (shots) fs.mkdirSync(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

async function show(html: string, colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 600, height: 900 } });
  await context.route('https://status.kaizen.example/logo.png', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: logo }));
  const page = await context.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

describe.each(Object.keys(emails))('the %s email', (name) => {
  it.each(['light', 'dark'] as const)('is readable at 600 px in %s mode', async (scheme) => {
    const page = await show(emails[name]!().html, scheme);
    if (shots) await page.screenshot({ path: path.join(shots, `${name}-${scheme}.png`), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(600);
    expect(await page.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await page.evaluate(axeSource);
    const violations = (await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
      return (await axe.run(document, { runOnly: ['color-contrast', 'image-alt', 'link-name'], resultTypes: ['violations'] })).violations;
    })) as { id: string; nodes: { target: string[] }[] }[];
    expect(violations.map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.context().close();
  });
});
