// Recipients read in pages: confirmed subscribers in id order from the (state, id) index, so memory stays flat
// however many there are.
import type { Db } from '../db/connection.ts';
import { subscriberWants } from './recipients.ts';

/** Subscribers read per query: one page of rows is all that is held at a time. */
export const RECIPIENT_PAGE = 1000;

export interface Recipient {
  id: string;
  email: string;
}

/** Parses the stored component choice; null means every component. */
export function parseComponents(json: string | null): string[] | null {
  if (json === null) return null;
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
}

/** The keyset query for one page: confirmed subscribers with an id after `afterId` (null: from the start). */
export function recipientPageQuery(db: Db, afterId: string | null, limit: number) {
  let q = db.selectFrom('subscriber').select(['id', 'email', 'components']).where('state', '=', 'confirmed');
  if (afterId !== null) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit);
}

/**
 * Yields, page by page, the confirmed subscribers who want news about `componentIds` (subscribers of every
 * component, and of any of these); each subscriber once, in id order.
 */
export async function* recipientPages(db: Db, componentIds: readonly string[], pageSize = RECIPIENT_PAGE): AsyncGenerator<Recipient[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await recipientPageQuery(db, after, pageSize).execute();
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    const wanted = rows.filter((r) => subscriberWants(parseComponents(r.components), componentIds)).map((r) => ({ id: r.id, email: r.email }));
    if (wanted.length > 0) yield wanted;
    if (rows.length < pageSize) return;
  }
}
