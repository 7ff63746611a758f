// The database-outage scenario shared by the PostgreSQL and SQLite tests: readers load the public pages in a
// bounded loop while the database is cut for 20 s, an admin posts during and after the cut, and every email
// of an incident announced just before the cut must arrive exactly once.
import { expect } from 'vitest';
import type { Db } from '../../src/lib/server/db/connection.ts';
import type { AdminClient } from './admin-client.ts';
import { seedSubscribers } from './email-db.ts';
import type { FakeResend } from './fake-resend.ts';
import { eventually, type RunningServer } from './server.ts';

export const OUTAGE_MS = 20_000;

export interface LoadResult {
  total: number;
  failures: string[];
  warnings: number;
}

/** Readers in a bounded loop (a few at a time, a short pause between requests) over the given pages. */
export function publicLoad(servers: RunningServer[], paths: string[], readers = 4): { stop: () => Promise<LoadResult> } {
  let running = true;
  const result: LoadResult = { total: 0, failures: [], warnings: 0 };
  let n = 0;
  const reader = async (): Promise<void> => {
    while (running) {
      const i = n++;
      const server = servers[i % servers.length]!;
      const p = paths[i % paths.length]!;
      try {
        // Generous: a reader waits as a browser would; a hung request still counts as a failure.
        const r = await server.get(p, { signal: AbortSignal.timeout(30_000) });
        await r.arrayBuffer();
        if (r.status !== 200) result.failures.push(`${server.url}${p}: ${r.status}`);
        if (r.headers.get('warning')) result.warnings++;
      } catch (e) {
        result.failures.push(`${server.url}${p}: ${e instanceof Error ? e.message : String(e)}`);
      }
      result.total++;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const loops = Array.from({ length: readers }, reader);
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}

export const PUBLIC_PATHS = ['/', '/api/v2/summary.json', '/history', '/incidents/old-dashboard-outage', '/history.atom', '/badge.svg'];

/** Seeds confirmed subscribers to every component; returns their addresses. */
export async function seedReaders(db: Db, count: number): Promise<string[]> {
  return seedSubscribers(db, count, { prefix: 'reader', domain: 'outage.test' });
}

/** An incident declared through the admin form, as the on-call engineer would. */
export function incidentFields(title: string, notify: 'auto' | 'no' = 'no'): Record<string, string> {
  return {
    title, severity: 'P1', 'component.api': 'major_outage',
    message: 'We are investigating reports of failed checkouts.\nUpdates will be provided every 15 minutes.', notify,
  };
}

/** During the outage: the admin sees the banner, and a post answers with it while keeping what was typed. */
export async function expectAdminRefusesKeepingInput(admin: AdminClient, title: string): Promise<void> {
  const page = await admin.get('/admin');
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/Database unreachable since \d\d:\d\d/);
  const posted = await admin.post('/admin/incidents/new', incidentFields(title));
  expect(posted.status).not.toBe(500);
  expect(posted.status).not.toBe(303);
  const html = await posted.text();
  expect(html).toMatch(/Database unreachable since \d\d:\d\d/);
  expect(html).toContain('your changes are not saved');
  expect(html).toContain(`value="${title}"`);
  expect(html).toContain('We are investigating reports of failed checkouts.');
}

/** After the outage: the database is back on every instance, a post saves, and every instance shows it. */
export async function expectRecovered(servers: RunningServer[], admin: AdminClient, title: string): Promise<void> {
  for (const s of servers) {
    await eventually(async () => {
      const r = await s.get('/readyz');
      const body = (await r.json()) as { checks: { database: { ok: boolean } } };
      expect(body.checks.database.ok).toBe(true);
    }, 15_000);
  }
  const posted = await admin.post('/admin/incidents/new', incidentFields(title));
  expect(posted.status).toBe(303);
  expect(await (await servers[0]!.get('/')).text()).toContain(title);
  for (const s of servers.slice(1)) await eventually(async () => expect(await (await s.get('/')).text()).toContain(title), 5000);
}

/** Every address got exactly one email about the incident titled `title`, and no call relied on the provider's deduplication. */
export async function expectExactlyOnce(fake: FakeResend, addresses: string[], title: string): Promise<void> {
  const about = (e: FakeResend['delivered'][number]): boolean => e.text.includes(title);
  await eventually(async () => {
    expect(fake.delivered.filter(about).length).toBeGreaterThanOrEqual(addresses.length);
  }, 60_000);
  const counts = new Map<string, number>();
  for (const e of fake.delivered) if (about(e)) for (const to of e.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  const wrong = addresses.filter((a) => counts.get(a) !== 1).map((a) => `${a}: ${counts.get(a) ?? 0}`);
  expect(wrong).toEqual([]);
  expect(fake.calls.filter((c) => c.replayed)).toHaveLength(0);
}

export function expectNoExit(servers: RunningServer[]): void {
  for (const s of servers) {
    expect(s.process.exitCode, s.output()).toBeNull();
    expect(s.process.signalCode, s.output()).toBeNull();
  }
}

export interface OutageScenario {
  label: string;
  servers: RunningServer[];
  admin: AdminClient;
  fake: FakeResend;
  /** Confirmed subscribers of every component. */
  addresses: string[];
  cut: () => Promise<void>;
  heal: () => Promise<void>;
}

/**
 * The whole story: an incident is announced, the database is cut for 20 s while readers keep loading the public
 * pages, the admin tries to post, the database comes back; then nothing failed, nothing exited, nothing was lost
 * and every email went out once.
 */
export async function runOutage(o: OutageScenario): Promise<LoadResult> {
  const announced = `Checkout failing before the ${o.label}`;
  const posted = await o.admin.post('/admin/incidents/new', incidentFields(announced, 'auto'));
  expect(posted.status).toBe(303);
  const load = publicLoad(o.servers, PUBLIC_PATHS);
  const cutAt = Date.now();
  await o.cut();
  // The announcement's emails are still going out when the database goes: delivery spans the outage.
  expect(o.fake.delivered.filter((e) => e.text.includes(announced)).length).toBeLessThan(o.addresses.length);
  // The first attempt may wait for a query timeout or a lock before the outage is known.
  await eventually(() => expectAdminRefusesKeepingInput(o.admin, `Typed during the ${o.label}`), OUTAGE_MS);
  const degraded = await o.servers[0]!.get('/readyz');
  expect(degraded.status).toBe(200);
  const body = (await degraded.json()) as { degraded: boolean; checks: { database: { ok: boolean; reason: string | null } } };
  expect(body.degraded).toBe(true);
  expect(body.checks.database.ok).toBe(false);
  expect(body.checks.database.reason).toBeTruthy();
  expect((await o.servers[0]!.get('/readyz?strict')).status).toBe(503);
  // The outage lasts its 20 s whatever the test does meanwhile.
  await new Promise((r) => setTimeout(r, Math.max(0, cutAt + OUTAGE_MS - Date.now())));
  await o.heal();
  await expectRecovered(o.servers, o.admin, `Posted after the ${o.label}`);
  const result = await load.stop();
  expect(result.failures).toEqual([]);
  expect(result.total).toBeGreaterThan(100);
  expect(result.warnings).toBeGreaterThan(0);
  await expectExactlyOnce(o.fake, o.addresses, announced);
  // Nothing typed during the outage was stored behind the admin's back.
  expect(await (await o.servers[0]!.get('/')).text()).not.toContain(`Typed during the ${o.label}`);
  expectNoExit(o.servers);
  return result;
}
