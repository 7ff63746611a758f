// Adding, confirming and removing channel subscribers: the SSRF check, the audit entry, the confirmation message.
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connection.ts';
import { env } from '../env.ts';
import type { ChannelEvent, ChannelType } from './channel-event.ts';
import { enqueueChannelMessage } from './channel-outbox.ts';
import { channelFormSchema, channelFormValues, publicChannelTypes } from './channel.schemas.ts';
import { countSubscribeAttempts, recordSubscribeAttempt } from '../subscribers/subscriber.repository.ts';
import { MAX_SUBSCRIBES_PER_IP, SUBSCRIBE_WINDOW_MS } from '../subscribers/subscriber.service.ts';
import { confirmChannelSubscriber, deleteChannelSubscriber, enableChannelSubscriber, findChannelSubscriber, insertChannelSubscriber, type ChannelSubscriber } from './channel.repository.ts';
import { checkOutgoingUrl } from './ssrf-guard.ts';

export type AddChannelResult =
  | { ok: true; subscriber: ChannelSubscriber; signingSecret: string }
  | { ok: false; errors: Record<string, string>; values: ReturnType<typeof channelFormValues> };

interface AddOptions {
  componentIds: readonly string[];
  types?: readonly string[];
  by: { admin: string } | { public: { baseUrl: string; siteName: string } };
  now: number;
  allowPrivate?: boolean;
}

/** Adds a subscriber from a form: an admin's is active at once; the public's is pending until its confirm link is used. */
export async function addChannelSubscriber(db: Db, form: FormData, o: AddOptions): Promise<AddChannelResult | { ok: true; honeypot: true }> {
  const values = channelFormValues(form);
  const parsed = channelFormSchema(o.componentIds, o.types).safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] === 'type' ? 'channel_type' : i.path[0] === 'url' ? 'channel_url' : i.path[0])] ??= i.message;
    return { ok: false, errors, values };
  }
  if (parsed.data.website !== '') return { ok: true, honeypot: true };
  const check = await checkOutgoingUrl(parsed.data.url, o.allowPrivate ?? env().ALLOW_PRIVATE_WEBHOOKS);
  if (!check.ok) return { ok: false, errors: { channel_url: `Webhook URL ${check.reason}` }, values };
  const createdBy = 'admin' in o.by ? 'admin' : 'public';
  const { subscriber } = await db.transaction().execute(async (trx) => {
    const r = await insertChannelSubscriber(trx, { type: parsed.data.type as ChannelType, url: check.url.href, components: parsed.data.components, createdBy }, o.now);
    if ('admin' in o.by) await recordAudit(trx, { actor: o.by.admin, action: 'channel_added', target: `${r.subscriber.type} ${check.url.host}` }, o.now);
    else if (r.confirmToken) await enqueueChannelMessage(trx, r.subscriber.id, confirmEvent(r.subscriber, r.confirmToken, o.by.public, o.now), o.now);
    return r;
  });
  return { ok: true, subscriber, signingSecret: subscriber.signingSecret };
}

/** The first message a public subscriber's channel receives: proof it reached them, with the confirm link. */
export function confirmEvent(s: ChannelSubscriber, token: string, site: { baseUrl: string; siteName: string }, now: number): ChannelEvent {
  return {
    key: `confirm:${s.id}`, kind: 'confirm', siteName: site.siteName, baseUrl: site.baseUrl, title: 'Confirm this subscription', status: null, severity: null,
    message: `Someone asked for ${site.siteName} status updates in this channel. Open the link to confirm; without it nothing more is sent.`,
    impact: [], componentIds: s.components ?? [], url: `${site.baseUrl}/subscribe/channel/${encodeURIComponent(token)}`, at: now,
  };
}

/** Confirms a public subscriber by the link its channel received; null for an unknown or used link. */
export async function confirmChannel(db: Db, token: string, now: number): Promise<ChannelSubscriber | null> {
  return confirmChannelSubscriber(db, token, now);
}

/** Removes a subscriber (admin); its name for the notice, or null if it was already gone. */
export async function removeChannel(db: Db, id: string, actor: string, now: number): Promise<string | null> {
  const s = await findChannelSubscriber(db, id);
  if (!s) return null;
  await deleteChannelSubscriber(db, id);
  await recordAudit(db, { actor, action: 'channel_removed', target: `${s.type} ${new URL(s.url).host}` }, now);
  return `${s.type} ${new URL(s.url).host}`;
}

/** Turns a disabled subscriber on again (admin). */
export async function reenableChannel(db: Db, id: string, actor: string, now: number): Promise<string | null> {
  const s = await findChannelSubscriber(db, id);
  if (!s) return null;
  await enableChannelSubscriber(db, id, now);
  await recordAudit(db, { actor, action: 'channel_enabled', target: `${s.type} ${new URL(s.url).host}` }, now);
  return `${s.type} ${new URL(s.url).host}`;
}

export type PublicChannelResult = Awaited<ReturnType<typeof addChannelSubscriber>> | { ok: false; throttled: true; retryAfterSeconds: number };

/** /subscribe's channel form: rate-limited per client address with email's limits; the channel gets a confirm link first. */
export async function requestChannelSubscription(db: Db, form: FormData, o: { componentIds: readonly string[]; site: { baseUrl: string; siteName: string }; ip: string; now: number }): Promise<PublicChannelResult> {
  const attemptKey = `channel:${String(form.get('channel_url') ?? '').trim().slice(0, 300)}`;
  const counts = await countSubscribeAttempts(db, attemptKey, o.ip, o.now - SUBSCRIBE_WINDOW_MS);
  if (counts.byIp >= MAX_SUBSCRIBES_PER_IP) return { ok: false, throttled: true, retryAfterSeconds: SUBSCRIBE_WINDOW_MS / 1000 };
  await recordSubscribeAttempt(db, attemptKey, o.ip, o.now);
  // One URL asked for many times gets one pending row's worth of messages an hour, like an email address.
  if (counts.byEmail >= 3) return { ok: true, honeypot: true };
  return addChannelSubscriber(db, form, { componentIds: o.componentIds, types: publicChannelTypes, by: { public: o.site }, now: o.now });
}
