// What the admin subscriber pages show: counts per state, a searchable list, a CSV export.
import type { Db } from '../db/connection.ts';
import * as repo from './subscriber.repository.ts';
import { subscriberStateLabels, type Subscriber, type SubscriberState } from './subscriber.schemas.ts';

export const SUBSCRIBERS_PER_PAGE = 100;

export interface SubscriberRowView {
  id: string;
  email: string;
  state: SubscriberState;
  stateLabel: string;
  components: string;
  since: string;
}

export interface SubscribersView {
  counts: Record<SubscriberState, number>;
  rows: SubscriberRowView[];
  query: string;
  page: number;
  hasNext: boolean;
}

const day = (t: number | null): string => (t === null ? '' : new Date(t).toISOString().slice(0, 10));

function componentNames(s: Subscriber, names: ReadonlyMap<string, string>): string {
  return s.components === null ? 'All components' : s.components.map((id) => names.get(id) ?? id).join(', ');
}

/** One page of subscribers matching `query`, with the counts of every state. */
export async function subscribersView(db: Db, query: string, page: number, names: ReadonlyMap<string, string>): Promise<SubscribersView> {
  const [counts, rows] = await Promise.all([
    repo.countSubscribersByState(db),
    repo.searchSubscriberRows(db, query, SUBSCRIBERS_PER_PAGE + 1, (page - 1) * SUBSCRIBERS_PER_PAGE),
  ]);
  const subscribers = rows.slice(0, SUBSCRIBERS_PER_PAGE).map(repo.subscriberRowToSubscriber);
  return {
    counts,
    query,
    page,
    hasNext: rows.length > SUBSCRIBERS_PER_PAGE,
    rows: subscribers.map((s) => ({
      id: s.id,
      email: s.email,
      state: s.state,
      stateLabel: s.state === 'bounced' && s.suppressedReason === 'complained' ? 'Bounced (complaint)' : subscriberStateLabels[s.state],
      components: componentNames(s, names),
      since: day(s.createdAt),
    })),
  };
}

/** A CSV cell: quoted when needed, and a leading = + - @ neutralised so spreadsheets never run it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every subscriber matching `query` as CSV (RFC 4180, CRLF line ends). */
export async function subscribersCsv(db: Db, query: string, names: ReadonlyMap<string, string>): Promise<string> {
  const rows = (await repo.searchSubscriberRows(db, query, 1_000_000, 0)).map(repo.subscriberRowToSubscriber);
  const lines = [['email', 'state', 'reason', 'components', 'subscribed', 'confirmed', 'unsubscribed']];
  for (const s of rows) {
    lines.push([s.email, s.state, s.suppressedReason ?? '', componentNames(s, names), day(s.createdAt), day(s.confirmedAt), day(s.unsubscribedAt)]);
  }
  return `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
