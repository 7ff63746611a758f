// Incident metrics over HTTP: a fixture whose figures were worked out by hand, on /admin/metrics, its CSV and /reliability.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAdmin, type AdminClient } from '../helpers/admin-client.ts';
import { HOUR, iso, MINUTE } from '../helpers/fixture.ts';
import { eventually, startServer, type RunningServer } from '../helpers/server.ts';

const DAY = 24 * HOUR;
// Whole minutes, so every figure is a whole number of minutes; every time below is hours away from any edge.
const now = Math.floor(Date.now() / MINUTE) * MINUTE;

interface IncidentSpec {
  title: string;
  severity: string;
  components: Record<string, string>;
  started?: number;
  detected?: number;
  acknowledged?: number;
  mitigated?: number;
  falsePositive?: boolean;
  repeatOf?: string;
  updates: [number, string][];
}

function incidentFile(s: IncidentSpec): string {
  const opt = (key: string, v: number | undefined): string[] => (v === undefined ? [] : [`${key}: ${iso(v)}`]);
  return ['---', `title: ${s.title}`, `severity: ${s.severity}`, 'components:',
    ...Object.entries(s.components).map(([c, st]) => `  ${c}: ${st}`),
    ...opt('started', s.started), ...opt('detected', s.detected), ...opt('acknowledged', s.acknowledged), ...opt('mitigated', s.mitigated),
    ...(s.falsePositive ? ['false_positive: true'] : []), ...(s.repeatOf ? [`repeat_of: ${s.repeatOf}`] : []),
    'updates:', ...s.updates.flatMap(([at, status]) => [`  - at: ${iso(at)}`, `    status: ${status}`, `    message: ${status} message`]),
    '---', ''].join('\n');
}

// Detection times (the anchor of every metric).
const det = {
  a: now - 10 * DAY, b: now - 20 * DAY, c: now - 12 * DAY, d: now - 33 * DAY, e: now - 8 * DAY, // e: first update, no `detected`
  f: now - 3 * DAY, g: now - 3 * HOUR, h: now - 100 * DAY, i: now - 89 * DAY, j: now - 92 * DAY,
};

/**
 * id  sev  component          TTD     TTA      TTM     TTR      notes
 * a   P0   api major          20 min  10 min   40 min  2 h      post-mortem 24 h after resolution (on time)
 * b   P1   api partial        5 min   1 h 30   —       4 h      TTA > 1 h: breach; draft post-mortem only (late)
 * c   P1   api major          —       30 min   50 min  3 h      post-mortem 72 h after resolution (late); title 80% like b, 8 days later
 * d   P2   dashboard degraded 30 min  20 min   1 h     6 h      33 days ago: out of the 30-day window
 * e   P2   dashboard degraded —       15 min   —       1 h      no `detected`: the first update; repeat_of d (25 days apart, never suggested)
 * f   P3   docs degraded      —       2 h      —       2 h 30   false positive
 * g   P1   api partial        10 min  —        —       —        open, unacknowledged for 3 h: breach
 * h   P0   api major          5 min   5 min    30 min  1 h      100 days ago: only in 365 days; no post-mortem (late)
 * i   P3   docs degraded      2 d     1 h      —       5 h      started 91 days ago, detected 89 days ago: in the 90-day window
 * j   P2   api degraded       —       10 min   —       4 d      detected 92 days ago, resolved 88 days ago: out of the 90-day window
 */
const incidents: Record<string, IncidentSpec> = {
  'a-api-outage': { title: 'Public API outage', severity: 'P0', components: { api: 'major_outage' },
    started: det.a - 20 * MINUTE, detected: det.a, acknowledged: det.a + 10 * MINUTE, mitigated: det.a + 40 * MINUTE,
    updates: [[det.a + 5 * MINUTE, 'investigating'], [det.a + 2 * HOUR, 'resolved']] },
  'b-api-errors': { title: 'Elevated API error rates', severity: 'P1', components: { api: 'partial_outage' },
    started: det.b - 5 * MINUTE, detected: det.b, acknowledged: det.b + 90 * MINUTE,
    updates: [[det.b + 2 * MINUTE, 'investigating'], [det.b + 4 * HOUR, 'resolved']] },
  'c-api-errors-again': { title: 'API error rates elevated again', severity: 'P1', components: { api: 'major_outage' },
    detected: det.c, acknowledged: det.c + 30 * MINUTE, mitigated: det.c + 50 * MINUTE,
    updates: [[det.c + 5 * MINUTE, 'investigating'], [det.c + 3 * HOUR, 'resolved']] },
  'd-dashboard-slow': { title: 'Dashboard slow', severity: 'P2', components: { dashboard: 'degraded_performance' },
    started: det.d - 30 * MINUTE, detected: det.d, acknowledged: det.d + 20 * MINUTE, mitigated: det.d + 60 * MINUTE,
    updates: [[det.d + 10 * MINUTE, 'investigating'], [det.d + 6 * HOUR, 'resolved']] },
  'e-dashboard-slow-again': { title: 'Dashboard slow again', severity: 'P2', components: { dashboard: 'degraded_performance' },
    acknowledged: det.e + 15 * MINUTE, repeatOf: 'd-dashboard-slow',
    updates: [[det.e, 'investigating'], [det.e + HOUR, 'resolved']] },
  'f-false-alarm': { title: 'Docs build alert', severity: 'P3', components: { docs: 'degraded_performance' },
    detected: det.f, acknowledged: det.f + 2 * HOUR, falsePositive: true,
    updates: [[det.f + 10 * MINUTE, 'investigating'], [det.f + 150 * MINUTE, 'resolved']] },
  'g-open-checkout': { title: 'Checkout requests failing', severity: 'P1', components: { api: 'partial_outage' },
    started: det.g - 10 * MINUTE, detected: det.g,
    updates: [[det.g + 5 * MINUTE, 'investigating']] },
  'h-old-outage': { title: 'Public API outage last quarter', severity: 'P0', components: { api: 'major_outage' },
    started: det.h - 5 * MINUTE, detected: det.h, acknowledged: det.h + 5 * MINUTE, mitigated: det.h + 30 * MINUTE,
    updates: [[det.h + 2 * MINUTE, 'investigating'], [det.h + HOUR, 'resolved']] },
  'i-docs-search': { title: 'Documentation search unavailable', severity: 'P3', components: { docs: 'degraded_performance' },
    started: now - 91 * DAY, detected: det.i, acknowledged: det.i + HOUR,
    updates: [[det.i + 10 * MINUTE, 'investigating'], [det.i + 5 * HOUR, 'resolved']] },
  'j-old-api-errors': { title: 'Elevated API error rates', severity: 'P2', components: { api: 'degraded_performance' },
    detected: det.j, acknowledged: det.j + 10 * MINUTE,
    updates: [[det.j + 10 * MINUTE, 'investigating'], [det.j + 4 * DAY, 'resolved']] },
};

const siteYaml = (flag: boolean): string => ['name: Acme Cloud', 'url: https://status.acme.test', 'timezone: UTC', ...(flag ? ['show_reliability: true'] : [])].join('\n');
let dir: string;
let server: RunningServer;
let admin: AdminClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-metrics-'));
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write('site.yaml', siteYaml(false));
  write('components.yaml', '- { id: api, name: Public API }\n- { id: dashboard, name: Dashboard }\n- { id: docs, name: Documentation }\n');
  for (const [id, spec] of Object.entries(incidents)) write(`incidents/${id}.md`, incidentFile(spec));
  const pm = (incident: string, published: number | null): string =>
    ['---', `incident: ${incident}`, `title: ${incident} post-mortem`, ...(published === null ? [] : [`published: ${iso(published)}`]), '---', '## Summary', 'What happened.', ''].join('\n');
  write('postmortems/a-api-outage.md', pm('a-api-outage', det.a + 2 * HOUR + 24 * HOUR));
  write('postmortems/b-api-errors.md', pm('b-api-errors', null));
  write('postmortems/c-api-errors-again.md', pm('c-api-errors-again', det.c + 3 * HOUR + 72 * HOUR));
  server = await startServer({ contentDir: dir });
  admin = await firstAdmin(server);
});
afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"');
const textOf = (html: string): string => decode(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
/** The cell texts of each body row of the table with the given id. */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table[^>]*id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (!table) throw new Error(`no table #${id}`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)![1]!;
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => textOf(c[1]!)));
}
const page = async (query = ''): Promise<string> => {
  const r = await admin.get(`/admin/metrics${query}`);
  expect(r.status).toBe(200);
  return r.text();
};

describe('/admin/metrics', () => {
  it('needs a session, and refuses an unknown window or severity', async () => {
    const r = await server.get('/admin/metrics');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fmetrics');
    expect((await server.get('/admin/metrics.csv?window=90')).status).toBe(303);
    expect((await admin.get('/admin/metrics?window=7')).status).toBe(400);
    expect((await admin.get('/admin/metrics?severity=P9')).status).toBe(400);
    expect((await admin.get('/admin/metrics.csv?window=abc')).status).toBe(400);
  });

  it('shows median / p90 per severity over the default 90 days, with counts and left-out counts', async () => {
    const html = await page();
    expect(html).toContain('href="/admin/metrics" aria-current="page"');
    // In 90 days: a b c d e f g i (h at 100 days and j at 92 days are out).
    expect(tableRows(html, 'metric-figures')).toEqual([
      // P0 a: TTD 20, TTA 10, TTM 40, TTR 120.
      ['P0', '1', '20 min / 20 min n = 1, 0 left out', '10 min / 10 min n = 1, 0 left out', '40 min / 40 min n = 1, 0 left out', '2 h / 2 h n = 1, 0 left out'],
      // P1 b c g: TTD [5, 10] (c out) → median rank ⌈2×50/100⌉=1 → 5, p90 rank ⌈1.8⌉=2 → 10; TTA [30, 90] (g out);
      // TTM [50] (b, g out); TTR [180, 240] (g open).
      ['P1', '3', '5 min / 10 min n = 2, 1 left out', '30 min / 1 h 30 min n = 2, 1 left out', '50 min / 50 min n = 1, 2 left out', '3 h / 4 h n = 2, 1 left out'],
      // P2 d e: TTD [30] (e out); TTA [15, 20]; TTM [60] (e out); TTR [60, 360].
      ['P2', '2', '30 min / 30 min n = 1, 1 left out', '15 min / 20 min n = 2, 0 left out', '1 h / 1 h n = 1, 1 left out', '1 h / 6 h n = 2, 0 left out'],
      // P3 f i: TTD [2880] (f out); TTA [60, 120]; TTM none; TTR [150, 300].
      ['P3', '2', '2 d / 2 d n = 1, 1 left out', '1 h / 2 h n = 2, 0 left out', '— / — n = 0, 2 left out', '2 h 30 min / 5 h n = 2, 0 left out'],
      // All 8: TTD [5,10,20,30,2880] → rank 3 = 20, rank ⌈4.5⌉=5 = 2880; TTA [10,15,20,30,60,90,120] → rank 4 = 30, rank ⌈6.3⌉=7 = 120;
      // TTM [40,50,60] → rank 2 = 50, rank 3 = 60; TTR [60,120,150,180,240,300,360] → rank 4 = 180, rank 7 = 360.
      ['All', '8', '20 min / 2 d n = 5, 3 left out', '30 min / 2 h n = 7, 1 left out', '50 min / 1 h n = 3, 5 left out', '3 h / 6 h n = 7, 1 left out'],
    ]);
  });

  it('shows the false-positive rate, breaches, post-mortem discipline and repeats', async () => {
    const text = textOf(await page('?window=90&severity=all'));
    expect(text).toContain('Incidents 8 detected in the last 90 days');
    // f of 8.
    expect(text).toContain('False-positive rate 12.5% 1 of 8 incidents');
    // b acknowledged after 90 min > 1 h; g unacknowledged for 3 h > 1 h.
    expect(text).toContain('Response-target breaches 2 of 8 incidents');
    // Resolved P0/P1 in 90 days: a on time (24 h), b none after 20 days, c at 72 h → 1 of 3.
    expect(text).toContain('Post-mortem discipline 33.3% 1 of 3 resolved P0/P1 published within 48 h; 0 pending');
    // e repeats d; b ~ c suggested (api, 4 of 5 words shared, 8 days apart).
    expect(text).toContain('Repeat incidents 1 1 chain; 1 suggested');
    expect(text).toMatch(/Dashboard slow [^←]+ ← Dashboard slow again/);
    expect(text).toContain('API error rates elevated again may repeat Elevated API error rates Public API; titles 80% alike; 8 d apart');
  });

  it('draws the charts as SVG with text alternatives and writes the definitions', async () => {
    const html = await page();
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).toContain('role="img" aria-labelledby="chart-ttr-title chart-ttr-desc"');
    expect(html).toContain('<title id="chart-ttr-title">Time to resolution per incident</title>');
    expect(textOf(html)).toContain('7 resolved incidents plotted by detection time against time to resolution on a logarithmic scale, from 1 h to 6 h.');
    expect(textOf(html)).toContain('2 of 8 incidents breached the response target: P0 0 of 1, P1 2 of 3, P2 0 of 2, P3 0 of 2.');
    expect(textOf(html)).toMatch(/8 incidents over \d+ weeks/);
    expect(html).toContain('class="target sev-P0"');
    expect(textOf(html)).toContain('nearest rank');
    expect(textOf(html)).toContain('between now − 90 × 24 hours and now, both included');
  });

  it('lists the incidents behind the figures, newest first, linking to their admin pages', async () => {
    const html = await page();
    const rows = tableRows(html, 'metric-incidents');
    expect(rows.map((r) => r[0])).toEqual([
      'Checkout requests failing', 'Docs build alert false positive', 'Dashboard slow again repeat of d-dashboard-slow', 'Public API outage',
      'API error rates elevated again', 'Elevated API error rates', 'Dashboard slow', 'Documentation search unavailable',
    ]);
    const b = rows[5]!;
    expect([b[1], ...b.slice(3)]).toEqual(['P1', '5 min', '1 h 30 min', '—', '4 h', '1 h: breached', '—']);
    expect(html).toContain('href="/admin/incidents/a-api-outage"');
  });

  it('narrows by window and severity', async () => {
    // 30 days: a b c e f g. TTR [60,120,150,180,240] → rank 3 = 150, rank ⌈4.5⌉=5 = 240; g open.
    const month = tableRows(await page('?window=30'), 'metric-figures');
    expect(month.at(-1)).toEqual(['All', '6', '10 min / 20 min n = 3, 3 left out', '30 min / 2 h n = 5, 1 left out', '40 min / 50 min n = 2, 4 left out', '2 h 30 min / 4 h n = 5, 1 left out']);
    // P1 only: one row, no "All".
    const p1 = await page('?window=90&severity=P1');
    expect(tableRows(p1, 'metric-figures').map((r) => r[0])).toEqual(['P1']);
    expect(textOf(p1)).toContain('False-positive rate 0% 0 of 3 incidents');
    // 365 days adds h and j: TTR [60,60,120,150,180,240,300,360,5760] → rank 5 = 180, rank ⌈8.1⌉=9 = 5760 (4 d);
    // post-mortems: a on time; b, c, h late → 1 of 4.
    const year = await page('?window=365');
    expect(tableRows(year, 'metric-figures').at(-1)![5]).toBe('3 h / 4 d n = 9, 1 left out');
    expect(textOf(year)).toContain('Post-mortem discipline 25% 1 of 4 resolved P0/P1');
    // j has b's exact title on the same component, but 72 days apart: still only one suggestion.
    expect(textOf(year)).toContain('1 chain; 1 suggested');
  });
});

describe('/admin/metrics.csv', () => {
  const isoMs = (ms: number): string => new Date(ms).toISOString();

  it('exports the per-incident figures in minutes', async () => {
    const r = await admin.get('/admin/metrics.csv?window=90&severity=all');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="incident-metrics-90d-all.csv"');
    expect(r.headers.get('cache-control')).toBe('private, no-store');
    const lines = (await r.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,title,severity,started,detected,acknowledged,mitigated,resolved,ttd_minutes,tta_minutes,ttm_minutes,ttr_minutes,response_target_minutes,response_breached,false_positive,repeat_of,postmortem_published');
    expect(lines).toHaveLength(1 + 8);
    expect(lines).toContain(['b-api-errors', 'Elevated API error rates', 'P1', isoMs(det.b - 5 * MINUTE), isoMs(det.b), isoMs(det.b + 90 * MINUTE), '',
      isoMs(det.b + 4 * HOUR), '5', '90', '', '240', '60', 'true', 'false', '', ''].join(','));
    // e has no `detected`: its first update is the detection.
    expect(lines).toContain(['e-dashboard-slow-again', 'Dashboard slow again', 'P2', '', isoMs(det.e), isoMs(det.e + 15 * MINUTE), '',
      isoMs(det.e + HOUR), '', '15', '', '60', '240', 'false', 'false', 'd-dashboard-slow', ''].join(','));
    expect(lines).toContain(['a-api-outage', 'Public API outage', 'P0', isoMs(det.a - 20 * MINUTE), isoMs(det.a), isoMs(det.a + 10 * MINUTE),
      isoMs(det.a + 40 * MINUTE), isoMs(det.a + 2 * HOUR), '20', '10', '40', '120', '15', 'false', 'false', '', isoMs(det.a + 26 * HOUR)].join(','));
  });

  it('follows the window and severity', async () => {
    const lines = (await (await admin.get('/admin/metrics.csv?window=30&severity=P1')).text()).trimEnd().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['g-open-checkout', 'c-api-errors-again', 'b-api-errors']);
    // g: open and unacknowledged: only TTD (10), breached.
    expect(lines[1]!.split(',').slice(8)).toEqual(['10', '', '', '', '60', 'true', 'false', '', '']);
  });
});

describe('/reliability', () => {
  it('is 404 and not linked without show_reliability, then shows the 90-day record with it', async () => {
    const off = await server.get('/reliability');
    expect(off.status).toBe(404);
    expect(await (await server.get('/')).text()).not.toContain('href="/reliability"');

    fs.writeFileSync(path.join(dir, 'site.yaml'), siteYaml(true));
    let html = '';
    await eventually(async () => {
      const r = await server.get('/reliability');
      expect(r.status).toBe(200);
      html = await r.text();
    }, 10_000);
    expect(html).toContain('href="/reliability" aria-current="page"');
    expect(await (await server.get('/')).text()).toContain('href="/reliability"');
    // 90 days without the false positive f: P0 a; P1 b c g; P2 d e; P3 i. Median TTR (nearest rank):
    // P1 [180, 240] → 180; P2 [60, 360] → 60; All [60,120,180,240,300,360] → rank 3 = 180.
    expect(tableRows(html, 'reliability-incidents')).toEqual([
      ['P0 (Critical)', '1', '2 h'],
      ['P1 (High)', '3', '3 h'],
      ['P2 (Medium)', '2', '1 h'],
      ['P3 (Low)', '1', '5 h'],
      ['All severities', '7', '3 h'],
    ]);
    expect(textOf(html)).toContain('1 false alarm is not counted.');
    // Dashboard and docs were only ever degraded (not downtime). api: major a 140 min + c 180 min, partial 0.3 × (b 245 + g 190 so far)
    // = 450.5 min over 89 whole days + today so far (128 160 to 129 600 min): 1 − 450.5/128160 = 99.648…%, 1 − 450.5/129600 = 99.652…%.
    const uptime = tableRows(html, 'reliability-uptime');
    expect(uptime[0]![0]).toBe('Public API');
    expect(uptime[0]![1]).toMatch(/^99\.6[45]%$/);
    expect(uptime.slice(1)).toEqual([['Dashboard', '100.00%'], ['Documentation', '100.00%']]);
    // a's and c's post-mortems were published in the last 90 days; b's is a draft.
    expect(textOf(html)).toContain('Post-mortems published 2 in 90 days');
    expect(html).toContain('href="/postmortems/a-api-outage"');
    expect(html).toContain('href="/postmortems/c-api-errors-again"');
    expect(html).not.toContain('href="/postmortems/b-api-errors"');
  });
});
