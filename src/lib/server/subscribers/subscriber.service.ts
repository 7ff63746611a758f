// Subscribing with double opt-in, personal links (confirm, manage, unsubscribe), suppression and admin removal.
import { isLocale, type Locale } from '../../i18n/locales.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import type { SubscriberTable } from '../db/schema.ts';
import { confirmationEmailData, type SiteForEmail } from '../email/compose.ts';
import { enqueuePersonal, withdrawQueued } from '../email/outbox.ts';
import * as repo from './subscriber.repository.ts';
import { normalizeAddress, type Subscriber, type SubscribeInput } from './subscriber.schemas.ts';

/** The window the subscribe limits count over. */
export const SUBSCRIBE_WINDOW_MS = 3_600_000;
/** Subscribe requests per IP address per hour before answering 429. */
export const MAX_SUBSCRIBES_PER_IP = 20;
/** Requests per address per hour; beyond that they are silently ignored (same public answer). */
export const MAX_SUBSCRIBES_PER_ADDRESS = 5;
/** At most one confirmation (or "already subscribed") email per address per 10 minutes. */
export const CONFIRMATION_INTERVAL_MS = 10 * 60_000;
/** A confirmation link works for 7 days after it was queued. */
export const CONFIRM_LINK_LIFETIME_MS = 7 * 24 * 3_600_000;

export type SubscribeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const iso = (t: number): string => new Date(t).toISOString();
const components = (c: string[] | null): string | null => (c === null ? null : JSON.stringify(c));

/** True when a confirmation email may be queued for this row now. */
function mayEmail(row: SubscriberTable, now: number): boolean {
  return row.last_confirmation_at === null || Date.parse(row.last_confirmation_at) <= now - CONFIRMATION_INTERVAL_MS;
}

/**
 * Handles the public form. Every accepted request gets the same answer ("check your inbox") whether the address
 * is new, pending, confirmed, unsubscribed or bounced, so the answer never tells who is on the list.
 * A new or returning address gets a confirmation email; a confirmed one gets its manage link; a bounced one nothing.
 */
export async function requestSubscription(db: Db, ctx: SiteForEmail, input: SubscribeInput, ip: string, now: number, locale: Locale = 'en'): Promise<SubscribeResult> {
  const counts = await repo.countSubscribeAttempts(db, input.email, ip, now - SUBSCRIBE_WINDOW_MS);
  if (counts.byIp >= MAX_SUBSCRIBES_PER_IP) return { ok: false, retryAfterSeconds: SUBSCRIBE_WINDOW_MS / 1000 };
  await repo.recordSubscribeAttempt(db, input.email, ip, now);
  if (input.website.trim() !== '' || counts.byEmail >= MAX_SUBSCRIBES_PER_ADDRESS) return { ok: true };
  await db.transaction().execute(async (trx) => {
    let row = await repo.findSubscriberRowByEmail(trx, input.email);
    if (row?.state === 'bounced') return;
    // The language of the page they subscribed on: their emails are written in it.
    if (!row) {
      row = await repo.insertSubscriber(trx, input.email, input.components, now);
      await repo.updateSubscriber(trx, row.id, { locale }, now);
    } else if (row.state === 'pending' || row.state === 'unsubscribed') {
      await repo.updateSubscriber(trx, row.id, { state: 'pending', components: components(input.components), locale }, now);
    }
    if (!mayEmail(row, now)) return;
    const kind = row.state === 'confirmed' ? 'already_subscribed' : 'confirmation';
    const chosen = row.state === 'confirmed' ? repo.subscriberRowToSubscriber(row).components : input.components;
    await enqueuePersonal(trx, { id: row.id, email: row.email }, confirmationEmailData(ctx, kind, chosen), now);
    await repo.updateSubscriber(trx, row.id, { last_confirmation_at: iso(now) }, now);
  });
  return { ok: true };
}

export interface LinkView {
  subscriber: Subscriber;
  /** The link came in a confirmation email that is still valid and the subscription is pending. */
  canConfirm: boolean;
}

/** Who a personal link belongs to, or null for an unknown token. */
export async function subscriptionByLink(db: Db, token: string, now: number): Promise<LinkView | null> {
  const owner = await repo.findLinkOwner(db, token);
  const row = owner ? await repo.findSubscriberRowById(db, owner.subscriberId) : null;
  if (!owner || !row) return null;
  const subscriber = repo.subscriberRowToSubscriber(row);
  const canConfirm = subscriber.state === 'pending' && owner.kind === 'confirmation' && now < owner.queuedAt + CONFIRM_LINK_LIFETIME_MS;
  return { subscriber, canConfirm };
}

export type ConfirmResult = 'confirmed' | 'already' | 'expired' | 'invalid';

/** Confirms a pending subscription from its confirmation link (valid 7 days). */
export async function confirmSubscription(db: Db, token: string, now: number): Promise<ConfirmResult> {
  const owner = await repo.findLinkOwner(db, token);
  const row = owner ? await repo.findSubscriberRowById(db, owner.subscriberId) : null;
  if (!owner || !row) return 'invalid';
  if (row.state === 'confirmed') return 'already';
  if (row.state !== 'pending' || owner.kind !== 'confirmation') return 'invalid';
  if (now >= owner.queuedAt + CONFIRM_LINK_LIFETIME_MS) return 'expired';
  await repo.updateSubscriber(db, row.id, { state: 'confirmed', confirmed_at: iso(now), unsubscribed_at: null }, now);
  return 'confirmed';
}

/** Changes the components of a confirmed subscription through its manage link. */
export async function changeComponents(db: Db, token: string, chosen: string[] | null, now: number): Promise<boolean> {
  const link = await subscriptionByLink(db, token, now);
  if (!link || link.subscriber.state !== 'confirmed') return false;
  await repo.updateSubscriber(db, link.subscriber.id, { components: components(chosen) }, now);
  return true;
}

/** Unsubscribes through any personal link (RFC 8058 one-click included); queued emails are withdrawn. False for an unknown token. */
export async function unsubscribeByLink(db: Db, token: string, now: number): Promise<boolean> {
  const link = await subscriptionByLink(db, token, now);
  if (!link) return false;
  const s = link.subscriber;
  if (s.state === 'pending' || s.state === 'confirmed') {
    await db.transaction().execute(async (trx) => {
      await repo.updateSubscriber(trx, s.id, { state: 'unsubscribed', unsubscribed_at: iso(now) }, now);
      await withdrawQueued(trx, s.id, 'unsubscribed', now);
    });
  }
  return true;
}

/** Subscribes again from a personal link: holding the link proves the address, so no new confirmation is needed. */
export async function resubscribeByLink(db: Db, token: string, now: number): Promise<boolean> {
  const link = await subscriptionByLink(db, token, now);
  if (!link || link.subscriber.state !== 'unsubscribed') return false;
  await repo.updateSubscriber(db, link.subscriber.id, { state: 'confirmed', confirmed_at: iso(now), unsubscribed_at: null }, now);
  return true;
}

/** Bounced or complained (Resend webhook): never mailed again; queued emails are withdrawn. Returns how many were known. */
export async function suppressAddresses(db: Db, addresses: readonly string[], reason: 'bounced' | 'complained', now: number): Promise<number> {
  let known = 0;
  for (const address of new Set(addresses.map(normalizeAddress))) {
    await db.transaction().execute(async (trx) => {
      const row = await repo.findSubscriberRowByEmail(trx, address);
      if (!row) return;
      known++;
      await repo.updateSubscriber(trx, row.id, { state: 'bounced', suppressed_reason: reason }, now);
      await withdrawQueued(trx, row.id, `address ${reason}: never mailed again`, now);
    });
  }
  return known;
}

/** Removes a subscriber for good (admin), withdrawing queued emails; audited. */
export async function removeSubscriber(db: Db, id: string, actor: string, now: number): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const row = await repo.findSubscriberRowById(trx, id);
    if (!row) return null;
    await withdrawQueued(trx, id, 'subscriber removed', now);
    await repo.deleteSubscriberRow(trx, id);
    await recordAudit(trx, { actor, action: 'subscriber_removed', target: row.email, detail: `was ${row.state}` }, now);
    return row.email;
  });
}

/** The language a personal link's subscriber subscribed in (their pages and emails use it), or null. */
export async function subscriberLocaleByLink(db: Db, token: string): Promise<Locale | null> {
  const owner = await repo.findLinkOwner(db, token);
  const row = owner ? await repo.findSubscriberRowById(db, owner.subscriberId) : null;
  return row?.locale && isLocale(row.locale) ? row.locale : null;
}
