// Whether calls to Resend keep failing, kept in the database so the admin dashboard of every instance says so.
import type { Db } from '../db/connection.ts';
import { formatDateTime, formatTime } from '../../status/format.ts';
import { failureCause, failureCauses, type FailureCause } from './resend-client.ts';

/** Marks calls as failing since `since` (kept when already failing), with the latest error. */
export async function recordProviderFailure(db: Db, since: number, error: string, now: number): Promise<void> {
  const stamp = new Date(now).toISOString();
  await db.updateTable('email_provider_health')
    .set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', eb.val(new Date(since).toISOString())), last_error: error, updated_at: stamp }))
    .where('id', '=', 1).execute();
}

/** A call succeeded: delivery is not failing (a no-op write when it was not). */
export async function clearProviderFailure(db: Db, now: number): Promise<void> {
  await db.updateTable('email_provider_health').set({ failing_since: null, last_error: null, updated_at: new Date(now).toISOString() })
    .where('id', '=', 1).where('failing_since', 'is not', null).execute();
}

export interface ProviderFailingView {
  since: number;
  /** "Email delivery failing since 03:12 (429 / timeouts)". */
  text: string;
  causes: FailureCause[];
  /** Batches waiting to be retried. */
  waiting: number;
}

/**
 * The dashboard's banner, or null while delivery works. Only while a batch waits to be retried: a failure with
 * nothing left to send (every waiting batch went out or gave up) is not "failing". The reason summarises the waiting
 * batches' last errors and the latest one.
 */
export async function providerFailing(db: Db, now: number, timeZone: string): Promise<ProviderFailingView | null> {
  const row = await db.selectFrom('email_provider_health').select(['failing_since', 'last_error']).where('id', '=', 1).executeTakeFirst();
  if (!row?.failing_since) return null;
  const waiting = await db.selectFrom('email_batch').select('last_error').distinct()
    .where('state', '=', 'pending').where('attempts', '>', 0).where('last_error', 'is not', null).execute();
  if (waiting.length === 0) return null;
  const count = await db.selectFrom('email_batch').select(db.fn.countAll<number>().as('n'))
    .where('state', '=', 'pending').where('attempts', '>', 0).where('last_error', 'is not', null).executeTakeFirstOrThrow();
  const seen = new Set<FailureCause>();
  for (const e of [row.last_error, ...waiting.map((w) => w.last_error)]) {
    const c = e ? failureCause(e) : null;
    if (c) seen.add(c);
  }
  const causes = failureCauses.filter((c) => seen.has(c));
  const since = Date.parse(row.failing_since);
  const at = now - since < 86_400_000 ? formatTime(since, timeZone) : formatDateTime(since, timeZone);
  return {
    since, causes, waiting: Number(count.n),
    text: `Email delivery failing since ${at}${causes.length > 0 ? ` (${causes.join(' / ')})` : ''}`,
  };
}
