// "Add to calendar" on the real server: /maintenance/<id>.ics per window and the /maintenance.ics feed, read back
// with a small RFC 5545 parser written here (unfolding, CRLF, 75-octet lines, TEXT unescaping).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, HOUR, iso, type Fixture } from '../helpers/fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { routePattern } from '../../src/lib/server/metrics/route-pattern.ts';

const now = Date.now();
let fixture: Fixture;
let server: RunningServer;

const tricky = 'Upgrade, phase 1; the \\ cluster';
const longBody = 'Wir aktualisieren die Datenbank — für alle Regionen. '.repeat(6).trim() + '\n\nSecond paragraph, with a comma; and a semicolon.';
// Markdown in the file; the calendar gets it as plain text.
const markdownTail = '\n\nSee **the plan** on [the wiki](https://wiki.acme.test/plan).';

beforeAll(async () => {
  fixture = createFixture(now);
  fixture.write('maintenance/tricky.md', `---
title: "${tricky.replace(/\\/g, '\\\\')}"
components: [api, docs]
scheduled_start: ${iso(now + 48 * HOUR)}
scheduled_end: ${iso(now + 50 * HOUR)}
---
${longBody}${markdownTail}
`);
  fixture.write('maintenance/under-way.md', `---
title: Network work under way
components: [docs]
scheduled_start: ${iso(now - HOUR)}
scheduled_end: ${iso(now + HOUR)}
---
Switching routers.
`);
  fixture.write('maintenance/long-done.md', `---
title: Finished long ago
components: [docs]
scheduled_start: ${iso(now - 30 * 24 * HOUR)}
scheduled_end: ${iso(now - 30 * 24 * HOUR + HOUR)}
---
Done.
`);
  server = await startServer({ contentDir: fixture.dir });
});
afterAll(async () => {
  await server?.stop();
  fixture?.cleanup();
});

interface Property { name: string; params: string; value: string }
interface Component { type: string; props: Property[]; children: Component[] }

/** A strict little reader: every line ends CRLF, none passes 75 octets, folds are CRLF + one space. */
function parseIcs(text: string): Component {
  expect(text.endsWith('\r\n')).toBe(true);
  const raw = text.slice(0, -2).split('\r\n');
  for (const line of raw) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
  }
  const lines: string[] = [];
  for (const line of raw) {
    if (line.startsWith(' ') || line.startsWith('\t')) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  const stack: Component[] = [{ type: 'ROOT', props: [], children: [] }];
  for (const line of lines) {
    const m = /^([A-Z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    expect(m, line).not.toBeNull();
    const [, name, params, value] = m!;
    if (name === 'BEGIN') {
      const c: Component = { type: value!, props: [], children: [] };
      stack.at(-1)!.children.push(c);
      stack.push(c);
    } else if (name === 'END') {
      expect(stack.pop()!.type).toBe(value);
    } else {
      stack.at(-1)!.props.push({ name: name!, params: params!, value: value! });
    }
  }
  expect(stack).toHaveLength(1);
  expect(stack[0]!.children).toHaveLength(1);
  return stack[0]!.children[0]!;
}

/** A TEXT value as written: \\n, \\, \\; \\\\ undone; an unescaped comma or semicolon is an error here. */
function unescapeText(value: string): string {
  expect(value.replace(/\\[\\;,nN]/g, '')).not.toMatch(/[;,\\]/);
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const prop = (c: Component, name: string): string => {
  const found = c.props.filter((p) => p.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!.value;
};

const utc = (v: string): number => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  expect(m, v).not.toBeNull();
  const [, y, mo, d, h, mi, s] = m!.map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
};

async function calendar(path: string): Promise<{ cal: Component; text: string; response: Response }> {
  const response = await server.get(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  const text = await response.text();
  return { cal: parseIcs(text), text, response };
}

describe('maintenance calendar files', () => {
  it('serves one window as a valid VCALENDAR with a stable UID, UTC times and escaped plain text', async () => {
    const { cal, text } = await calendar('/maintenance/tricky.ics');
    expect(cal.type).toBe('VCALENDAR');
    expect(prop(cal, 'VERSION')).toBe('2.0');
    expect(prop(cal, 'PRODID')).toMatch(/Kaizen Status/);
    expect(cal.children.map((c) => c.type)).toEqual(['VEVENT']);
    const ev = cal.children[0]!;
    expect(prop(ev, 'UID')).toBe('maintenance-tricky@status.acme.test');
    expect(utc(prop(ev, 'DTSTART'))).toBe(Math.floor((now + 48 * HOUR) / 1000) * 1000);
    expect(utc(prop(ev, 'DTEND'))).toBe(Math.floor((now + 50 * HOUR) / 1000) * 1000);
    expect(Math.abs(utc(prop(ev, 'DTSTAMP')) - Date.now())).toBeLessThan(10 * 60_000);
    expect(unescapeText(prop(ev, 'SUMMARY'))).toBe(`Acme Cloud maintenance: ${tricky}`);
    const description = unescapeText(prop(ev, 'DESCRIPTION'));
    expect(description).toContain(longBody);
    expect(description).toContain('Affects: Public API, Documentation');
    expect(description).toContain('See the plan on the wiki (https://wiki.acme.test/plan).');
    expect(description).not.toMatch(/<[a-z]|\*\*/);
    expect(prop(ev, 'URL')).toBe('https://status.acme.test/maintenance/tricky');
    // The long description was folded, and never inside a multi-byte character (each line is valid UTF-8).
    expect(text.split('\r\n').filter((l) => l.startsWith(' ')).length).toBeGreaterThan(3);
    for (const line of text.split('\r\n')) expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    expect(text).not.toContain('\uFFFD');
    // The UID is the same on the next download, so a calendar updates the event rather than adding one.
    const again = (await calendar('/maintenance/tricky.ics')).cal.children[0]!;
    expect(prop(again, 'UID')).toBe(prop(ev, 'UID'));
  });

  it('answers an unknown window with a 404 and revalidates with its ETag', async () => {
    expect((await server.get('/maintenance/nope.ics')).status).toBe(404);
    const first = await server.get('/maintenance/under-way.ics');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await server.get('/maintenance/under-way.ics', { headers: { 'If-None-Match': etag! } })).status).toBe(304);
  });

  it('feeds the windows not yet over, under way and upcoming, soonest first; not the finished ones', async () => {
    const { cal } = await calendar('/maintenance.ics');
    expect(unescapeText(prop(cal, 'X-WR-CALNAME'))).toBe('Acme Cloud maintenance');
    const uids = cal.children.map((e) => prop(e, 'UID'));
    expect(uids).toEqual(['maintenance-under-way@status.acme.test', 'maintenance-db-upgrade@status.acme.test', 'maintenance-tricky@status.acme.test']);
    for (const e of cal.children) expect(utc(prop(e, 'DTEND'))).toBeGreaterThan(utc(prop(e, 'DTSTART')));
    // The single file of a finished window still answers (an old link keeps working).
    await calendar('/maintenance/long-done.ics');
  });

  it('links "Add to calendar" from the maintenance page and the card on the front page', async () => {
    const page = await (await server.get('/maintenance/tricky')).text();
    expect(page).toContain('href="/maintenance/tricky.ics"');
    expect(page).toContain('Add to calendar');
    expect(page).toContain('href="/maintenance.ics"');
    const front = await (await server.get('/')).text();
    expect(front).toContain('href="/maintenance/db-upgrade.ics"');
    expect(front).toContain('<link rel="alternate" type="text/calendar"');
  });

  it('names the calendar routes in metrics', () => {
    expect(routePattern('/maintenance/tricky.ics')).toBe('/maintenance/:id.ics');
    expect(routePattern('/maintenance/tricky')).toBe('/maintenance/:id');
    expect(routePattern('/maintenance.ics')).toBe('/maintenance.ics');
  });
});
