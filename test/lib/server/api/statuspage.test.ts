// The v2 mapping, feeds and badges from a hand-made read model: admin records, time offsets, edge cases.
import { parseAtomFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { makeApiContext } from '../../../../src/lib/server/api/api-context.ts';
import { etagOf, matchesIfNoneMatch } from '../../../../src/lib/server/api/http.ts';
import { pageTimes } from '../../../../src/lib/server/api/page-times.ts';
import { spState, summaryBody, incidentsBody } from '../../../../src/lib/server/api/statuspage.ts';
import { renderBadge, textWidth } from '../../../../src/lib/server/badges/badge.ts';
import { writeAtom } from '../../../../src/lib/server/feeds/atom.ts';
import { collectFeed, stableUrn } from '../../../../src/lib/server/feeds/feed.ts';
import { escapeXml } from '../../../../src/lib/server/feeds/xml.ts';
import type { ContentSnapshot } from '../../../../src/lib/server/content/content-snapshot.ts';
import type { AdminRecords } from '../../../../src/lib/server/status-data/admin-records.ts';
import { mergeModel } from '../../../../src/lib/server/status-data/status-model.ts';
import type { Component, Incident } from '../../../../src/lib/status/types.ts';
import { summaryBody as summarySchema } from '../../../helpers/statuspage-schema.ts';

const HOUR = 3_600_000;
const now = Date.parse('2026-07-10T12:00:00Z');
const api: Component = { id: 'api', name: 'API', description: null, baseline: 'operational', groupId: null, position: 0 };
const web: Component = { id: 'web', name: 'Web', description: null, baseline: 'operational', groupId: null, position: 1 };

function snapshot(incidents: Incident[] = []): ContentSnapshot {
  return {
    site: { name: 'Kaizen', url: 'https://status.kaizen.test', description: '', timezone: 'Europe/London', supportUrl: null, emailSignature: 'x', logo: null, showReliability: false },
    groups: [],
    components: [api, web],
    incidents,
    maintenance: [],
    postmortems: [],
  };
}
const noAdmin: AdminRecords = { incidents: [], maintenance: [], postmortems: [], overrides: new Map() };

const adminIncident: Incident = {
  id: 'admin-outage', source: 'admin', title: 'Web down', severity: 'P0', impactOverride: null,
  components: { web: 'major_outage' }, startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null,
  falsePositive: false, repeatOf: null, body: '',
  updates: [{ id: 'u1', at: now - HOUR, status: 'investigating', message: 'Posted from **admin**', components: null }],
};

describe('admin-posted data', () => {
  it('appears in summary.json and in the feeds like file content', () => {
    const model = mergeModel(snapshot(), { ...noAdmin, incidents: [adminIncident] }, []);
    const ctx = makeApiContext(model, now);
    const summary = summaryBody(spState(ctx));
    expect(summarySchema.safeParse(summary).success).toBe(true);
    expect(summary.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect(summary.incidents.map((i) => i.id)).toEqual(['admin-outage']);
    expect(summary.incidents[0]!.incident_updates[0]!.body).toBe('Posted from **admin**');
    const feed = parseAtomFeed(writeAtom(collectFeed(ctx, null)!, 'https://status.kaizen.test/history.atom'));
    expect(feed.entries?.[0]?.title?.value).toBe('Web down: Investigating');
    expect(feed.entries?.[0]?.content?.value).toContain('<strong>admin</strong>');
  });
});

describe('times', () => {
  it('are written in the site zone with its offset (BST in July)', () => {
    const model = mergeModel(snapshot([adminIncident]), noAdmin, []);
    const summary = summaryBody(spState(makeApiContext(model, now)));
    expect(summary.page.time_zone).toBe('Europe/London');
    expect(summary.incidents[0]!.created_at).toBe('2026-07-10T12:00:00.000+01:00');
    expect(Date.parse(summary.incidents[0]!.created_at)).toBe(now - HOUR);
  });

  it('follow the documented created/updated rule', () => {
    const model = mergeModel(snapshot([adminIncident]), noAdmin, []);
    expect(pageTimes(model, now)).toEqual({ created: now - HOUR, updated: now - HOUR, componentUpdated: new Map([['web', now - HOUR]]) });
    const empty = mergeModel(snapshot(), noAdmin, []);
    expect(pageTimes(empty, now).created).toBe(0);
    const s = spState(makeApiContext(model, now));
    expect(s.componentJson.get('api')!.updated_at).toBe(s.componentJson.get('api')!.created_at);
  });
});

describe('affected_components', () => {
  it('tracks status changes through updates, a resolution and a reopening', () => {
    const incident: Incident = {
      ...adminIncident, id: 'flappy', source: 'file',
      updates: [
        { id: 'u4', at: now - 1 * HOUR, status: 'investigating', message: 'Back again', components: null },
        { id: 'u3', at: now - 2 * HOUR, status: 'resolved', message: 'Fixed', components: null },
        { id: 'u2', at: now - 3 * HOUR, status: 'identified', message: 'Better', components: { web: 'partial_outage', api: 'degraded_performance' } },
        { id: 'u1', at: now - 4 * HOUR, status: 'investigating', message: 'Down', components: null },
      ],
    };
    const s = spState(makeApiContext(mergeModel(snapshot([incident]), noAdmin, []), now));
    const [u4, u3, u2, u1] = incidentsBody(s).incidents[0]!.incident_updates;
    expect(u1!.affected_components).toEqual([{ code: 'web', name: 'Web', old_status: 'operational', new_status: 'major_outage' }]);
    expect(u2!.affected_components).toEqual([
      { code: 'api', name: 'API', old_status: 'operational', new_status: 'degraded_performance' },
      { code: 'web', name: 'Web', old_status: 'major_outage', new_status: 'partial_outage' },
    ]);
    expect(u3!.affected_components?.map((a) => a.new_status)).toEqual(['operational', 'operational']);
    expect(u4!.affected_components?.map((a) => a.new_status)).toEqual(['degraded_performance', 'partial_outage']);
    expect(incidentsBody(s).incidents[0]!.components.map((c) => c.id)).toEqual(['api', 'web']);
  });
});

describe('http helpers', () => {
  it('compare ETags weakly and accept lists and *', () => {
    const tag = etagOf('hello');
    expect(matchesIfNoneMatch(tag, tag)).toBe(true);
    expect(matchesIfNoneMatch(`"x", W/${tag}`, tag)).toBe(true);
    expect(matchesIfNoneMatch('*', tag)).toBe(true);
    expect(matchesIfNoneMatch('"x"', tag)).toBe(false);
    expect(matchesIfNoneMatch(null, tag)).toBe(false);
    expect(etagOf('hello!')).not.toBe(tag);
  });
});

describe('XML output', () => {
  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u0008c\u001Fd\tok\n')).toBe('abcd\tok\n');
    expect(escapeXml('lone \uD800 surrogate, pair 😀')).toBe('lone  surrogate, pair 😀');
  });

  it('derives stable name-based UUIDs', () => {
    expect(stableUrn('a')).toBe(stableUrn('a'));
    expect(stableUrn('a')).not.toBe(stableUrn('b'));
    expect(stableUrn('a')).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sizes badges by text width and escapes their text', () => {
    expect(textWidth('status')).toBeGreaterThan(30);
    expect(textWidth('WWW')).toBeGreaterThan(textWidth('iii'));
    const svg = renderBadge({ label: '<x>', message: 'a & b', color: '#000', textColor: '#fff', title: '"t"' });
    expect(svg).toContain('<title>&quot;t&quot;</title>');
    expect(svg).toContain('&lt;x&gt;');
    expect(svg).not.toContain('<x>');
  });
});
