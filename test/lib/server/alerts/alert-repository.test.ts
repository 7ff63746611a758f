// The alert store on both databases: redeliveries are one row, a late firing never reopens a resolved alert,
// and one hold-down is taken by one pass only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src/lib/server/db/connection.ts';
import { migrateToLatest } from '../../../../src/lib/server/db/migrate.ts';
import { claimDue, dueGroups, ensureGroup, firingAlerts, storeAlert, updateGroup } from '../../../../src/lib/server/alerts/alert.repository.ts';
import { createTestDatabase } from '../../../helpers/postgres.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const now = Date.parse('2026-12-04T10:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-alert-repo-'));
const dbs: { name: string; db: Db; drop: () => Promise<void> }[] = [];

beforeAll(async () => {
  const pgDb = await createTestDatabase('alert_repo');
  for (const [name, url, drop] of [['sqlite', path.join(dir, 'a.db'), async () => {}], ['postgres', pgDb.url, pgDb.drop]] as const) {
    const db = openDb(url);
    await migrateToLatest(db);
    dbs.push({ name, db, drop });
  }
}, 60_000);

afterAll(async () => {
  for (const d of dbs) {
    await d.db.destroy();
    await d.drop();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(['sqlite', 'postgres'])('alert store on %s', (name) => {
  const db = (): Db => dbs.find((d) => d.name === name)!.db;
  it('stores a redelivered alert once and keeps a resolved one resolved', async () => {
    const a = await ensureGroup(db(), { source: 'alertmanager', groupKey: `{}:{alertname="X"}:${name}`, title: 'X', severity: 'P1', components: ['api'] }, now);
    const again = await ensureGroup(db(), { source: 'alertmanager', groupKey: `{}:{alertname="X"}:${name}`, title: 'X', severity: 'P1', components: ['api'] }, now + 1);
    expect(again.id).toBe(a.id);
    const alert = { fingerprint: `fp-${name}`, status: 'firing', startsAt: now - 60_000, endsAt: null, labels: { component: 'api' }, annotations: {} };
    await storeAlert(db(), a.id, alert, now);
    await storeAlert(db(), a.id, alert, now + 1);
    expect(await firingAlerts(db(), a.id)).toHaveLength(1);
    await storeAlert(db(), a.id, { ...alert, status: 'resolved', endsAt: now + 2 }, now + 2);
    await storeAlert(db(), a.id, alert, now + 3);
    expect(await firingAlerts(db(), a.id)).toHaveLength(0);
    // A new firing of the same alert (a new startsAt) is a new row.
    await storeAlert(db(), a.id, { ...alert, startsAt: now + 10 }, now + 10);
    expect(await firingAlerts(db(), a.id)).toHaveLength(1);
  });

  it('lets one pass take a due hold-down', async () => {
    const g = await ensureGroup(db(), { source: 'webhook', groupKey: `due-${name}`, title: 'Y', severity: 'P1', components: [] }, now);
    const due = new Date(now + 1000).toISOString();
    await updateGroup(db(), g.id, { resolve_due_at: due });
    expect((await dueGroups(db(), now)).map((r) => r.id)).not.toContain(g.id);
    expect((await dueGroups(db(), now + 1000)).map((r) => r.id)).toContain(g.id);
    const claims = await Promise.all([claimDue(db(), g.id, due), claimDue(db(), g.id, due)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
