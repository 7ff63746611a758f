// An incident posted from the admin form shows in the JSON API and the feeds, like one from content/.
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { firstAdmin } from '../helpers/admin-client.ts';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';
import { summaryBody } from '../helpers/statuspage-schema.ts';

let fixture: Fixture;
let server: RunningServer;

beforeAll(async () => {
  fixture = createFixture(Date.now());
  server = await startServer({ contentDir: fixture.dir });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

it('an admin-posted incident appears in summary.json, incidents.json and both feeds', async () => {
  const admin = await firstAdmin(server);
  const detected = new Date(Date.now() - 5 * 60_000).toISOString().slice(0, 16);
  const r = await admin.post('/admin/incidents/new', {
    title: 'Checkout failing',
    severity: 'P0',
    'component.dashboard': 'major_outage',
    detected,
    message: 'We are investigating reports of **failed checkouts**.',
    notify: 'auto',
  });
  expect(r.status).toBe(303);
  const id = r.headers.get('location')!.replace(/\?.*/, '').split('/').pop()!;

  await eventually(async () => {
    const summary = (await (await server.get('/api/v2/summary.json')).json()) as unknown;
    const parsed = summaryBody.parse(summary);
    expect(parsed.incidents.map((i) => i.id)).toContain(id);
    expect(parsed.status.indicator).toBe('critical');
    const incident = parsed.incidents.find((i) => i.id === id)!;
    expect(incident.incident_updates[0]!.body).toContain('**failed checkouts**');
    expect(parsed.components.find((c) => c.id === 'dashboard')!.status).toBe('major_outage');
  }, 2000);
  const all = (await (await server.get('/api/v2/incidents.json')).json()) as { incidents: { id: string }[] };
  expect(all.incidents[0]!.id).toBe(id);

  const atom = parseAtomFeed(await (await server.get('/history.atom')).text());
  const entry = atom.entries?.find((e) => e.title?.value === 'Checkout failing: Investigating');
  expect(entry?.links?.[0]?.href).toBe(`https://status.acme.test/incidents/${id}#update-1`);
  expect(entry?.content?.value).toContain('<strong>failed checkouts</strong>');
  const rss = parseRssFeed(await (await server.get('/history.rss')).text());
  expect(rss.items?.map((i) => i.title)).toContain('Checkout failing: Investigating');
  const dashboard = parseAtomFeed(await (await server.get('/components/dashboard/history.atom')).text());
  expect(dashboard.entries?.map((e) => e.title?.value)).toContain('Checkout failing: Investigating');
});
