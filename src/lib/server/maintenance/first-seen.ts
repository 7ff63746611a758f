// When a maintenance file without `announced:` was first seen: its announcement date then. Kept in
// maintenance_first_seen; remembered in memory meanwhile (and while the database cannot be written).
import type { Db } from '../db/connection.ts';

const seen = new Map<string, number>();

/** The stored first sighting of `id`, else the first time this process saw it. */
export function firstSeenAt(id: string, stored: ReadonlyMap<string, number> | undefined, now: number = Date.now()): number {
  const kept = stored?.get(id);
  if (kept !== undefined) return kept;
  let at = seen.get(id);
  if (at === undefined) seen.set(id, (at = now));
  return at;
}

/** Every stored first sighting, by maintenance id. */
export async function loadFirstSeen(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('maintenance_first_seen').selectAll().execute();
  return new Map(rows.map((r) => [r.maintenance_id, Date.parse(r.first_seen_at)]));
}

/**
 * Stores the first sightings not stored yet (an earlier one, from another instance, is kept) and returns what is
 * stored now for those ids.
 */
export async function recordFirstSeen(db: Db, sightings: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const ids = [...sightings.keys()];
  if (ids.length === 0) return new Map();
  await db
    .insertInto('maintenance_first_seen')
    .values(ids.map((id) => ({ maintenance_id: id, first_seen_at: new Date(sightings.get(id)!).toISOString() })))
    .onConflict((oc) => oc.column('maintenance_id').doNothing())
    .execute();
  const rows = await db.selectFrom('maintenance_first_seen').selectAll().where('maintenance_id', 'in', ids).execute();
  const out = new Map(rows.map((r) => [r.maintenance_id, Date.parse(r.first_seen_at)]));
  for (const [id, at] of out) seen.set(id, at);
  return out;
}
