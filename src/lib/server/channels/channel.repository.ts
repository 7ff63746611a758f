// The channel_subscriber table: plain functions taking the connection first.
import { Webhook } from 'standardwebhooks';
import type { Db } from '../db/connection.ts';
import type { ChannelSubscriberTable } from '../db/schema.ts';
import { hashToken, newId, randomToken } from '../ids.ts';
import type { ChannelType } from './channel-event.ts';

export interface ChannelSubscriber {
  id: string;
  type: ChannelType;
  url: string;
  /** null means every component. */
  components: string[] | null;
  state: 'pending' | 'active' | 'disabled';
  disabledReason: string | null;
  signingSecret: string;
  createdBy: 'admin' | 'public';
  createdAt: number;
}

/** A stored row as a subscriber. */
export function channelRowToSubscriber(r: ChannelSubscriberTable): ChannelSubscriber {
  return {
    id: r.id, type: r.type as ChannelType, url: r.url, components: r.components === null ? null : (JSON.parse(r.components) as string[]),
    state: r.state as ChannelSubscriber['state'], disabledReason: r.disabled_reason, signingSecret: r.signing_secret,
    createdBy: r.created_by as ChannelSubscriber['createdBy'], createdAt: Date.parse(r.created_at),
  };
}

/** A new Standard Webhooks secret: whsec_ and 24 random bytes, base64. */
export function newSigningSecret(): string {
  const b = new Uint8Array(24);
  crypto.getRandomValues(b);
  return `whsec_${Buffer.from(b).toString('base64')}`;
}

export interface NewChannelSubscriber {
  type: ChannelType;
  url: string;
  components: string[] | null;
  createdBy: 'admin' | 'public';
}

/** Inserts a subscriber: active when an admin adds it, pending (with a confirm token, returned once) from the public. */
export async function insertChannelSubscriber(db: Db, s: NewChannelSubscriber, now: number): Promise<{ subscriber: ChannelSubscriber; confirmToken: string | null }> {
  const stamp = new Date(now).toISOString();
  const confirmToken = s.createdBy === 'public' ? randomToken() : null;
  const row: ChannelSubscriberTable = {
    id: newId(), type: s.type, url: s.url, components: s.components === null ? null : JSON.stringify(s.components),
    state: s.createdBy === 'public' ? 'pending' : 'active', disabled_reason: null, signing_secret: newSigningSecret(),
    confirm_token_hash: confirmToken ? hashToken(confirmToken) : null, created_by: s.createdBy, created_at: stamp, updated_at: stamp,
  };
  // Fails early if the secret is not one the library accepts.
  new Webhook(row.signing_secret);
  await db.insertInto('channel_subscriber').values(row).execute();
  return { subscriber: channelRowToSubscriber(row), confirmToken };
}

/** One subscriber, or null. */
export async function findChannelSubscriber(db: Db, id: string): Promise<ChannelSubscriber | null> {
  const r = await db.selectFrom('channel_subscriber').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? channelRowToSubscriber(r) : null;
}

/** Every subscriber, newest first (admin). */
export async function listChannelSubscribers(db: Db): Promise<ChannelSubscriber[]> {
  return (await db.selectFrom('channel_subscriber').selectAll().orderBy('created_at', 'desc').execute()).map(channelRowToSubscriber);
}

/** Active subscribers (the ones that get news). */
export async function activeChannelSubscribers(db: Db): Promise<ChannelSubscriber[]> {
  return (await db.selectFrom('channel_subscriber').selectAll().where('state', '=', 'active').execute()).map(channelRowToSubscriber);
}

/** Confirms a pending subscriber by its token; the subscriber, or null for an unknown or used token. */
export async function confirmChannelSubscriber(db: Db, token: string, now: number): Promise<ChannelSubscriber | null> {
  const hash = hashToken(token);
  const r = await db.selectFrom('channel_subscriber').selectAll().where('confirm_token_hash', '=', hash).where('state', '=', 'pending').executeTakeFirst();
  if (!r) return null;
  await db.updateTable('channel_subscriber').set({ state: 'active', confirm_token_hash: null, updated_at: new Date(now).toISOString() }).where('id', '=', r.id).execute();
  return channelRowToSubscriber({ ...r, state: 'active', confirm_token_hash: null });
}

/** Stops deliveries to a subscriber, with the reason shown in admin. */
export async function disableChannelSubscriber(db: Db, id: string, reason: string, now: number): Promise<void> {
  await db.updateTable('channel_subscriber').set({ state: 'disabled', disabled_reason: reason.slice(0, 1000), updated_at: new Date(now).toISOString() })
    .where('id', '=', id).execute();
}

/** Turns a disabled subscriber back on (admin). */
export async function enableChannelSubscriber(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('channel_subscriber').set({ state: 'active', disabled_reason: null, updated_at: new Date(now).toISOString() })
    .where('id', '=', id).where('state', '=', 'disabled').execute();
}

/** Removes a subscriber. */
export async function deleteChannelSubscriber(db: Db, id: string): Promise<void> {
  await db.deleteFrom('channel_subscriber').where('id', '=', id).execute();
}
