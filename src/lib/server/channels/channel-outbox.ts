// Channel deliveries as durable jobs: one job per subscriber and event (keyed, so an event is queued once), and the team channel's.
import type { Db } from '../db/connection.ts';
import { env } from '../env.ts';
import { subscriberWants } from '../email/recipients.ts';
import { enqueueJob } from '../jobs/job.repository.ts';
import type { ChannelEvent } from './channel-event.ts';
import { activeChannelSubscribers } from './channel.repository.ts';

export const CHANNEL_JOB_KIND = 'channel-send';

/** What a channel job carries: the event, and whom it is for (a subscriber id, or the team channel). */
export interface ChannelJobPayload {
  to: { subscriberId: string } | { team: true };
  event: ChannelEvent;
}

/** The job key: one delivery per subscriber and event, however often it is asked for. */
export function channelJobKey(to: ChannelJobPayload['to'], eventKey: string): string {
  return `${CHANNEL_JOB_KIND}:${'team' in to ? 'team' : to.subscriberId}:${eventKey}`;
}

async function enqueue(db: Db, payload: ChannelJobPayload, now: number): Promise<void> {
  await enqueueJob(db, { kind: CHANNEL_JOB_KIND, key: channelJobKey(payload.to, payload.event.key), payload }, now);
}

/** Queues news for every active subscriber of its components, and the team channel; call once per event (the email ledger sees to it). */
export async function enqueueChannelEvent(db: Db, event: ChannelEvent, now: number, teamUrl: string | undefined = env().TEAM_CHANNEL_URL): Promise<number> {
  const subscribers = (await activeChannelSubscribers(db)).filter((s) => subscriberWants(s.components, event.componentIds));
  for (const s of subscribers) {
    await enqueue(db, { to: { subscriberId: s.id }, event }, now);
    // Webhooks also get Statuspage's component_update message for each component whose status changed.
    if (s.type !== 'webhook') continue;
    for (const c of event.componentChanges ?? []) {
      if (!subscriberWants(s.components, [c.id])) continue;
      await enqueue(db, { to: { subscriberId: s.id }, event: { ...event, key: `${event.key}:component:${c.id}`, kind: 'component', componentIds: [c.id], componentChanges: [c] } }, now);
    }
  }
  if (teamUrl) await enqueue(db, { to: { team: true }, event }, now);
  return subscribers.length;
}

/** Queues a message for one subscriber only (the confirmation a public subscriber must receive). */
export async function enqueueChannelMessage(db: Db, subscriberId: string, event: ChannelEvent, now: number): Promise<void> {
  await enqueue(db, { to: { subscriberId }, event }, now);
}

/** Queues a message for the team channel (admin actions, reminders); nothing without TEAM_CHANNEL_URL. */
export async function enqueueTeamMessage(db: Db, event: ChannelEvent, now: number, teamUrl: string | undefined = env().TEAM_CHANNEL_URL): Promise<void> {
  if (teamUrl) await enqueue(db, { to: { team: true }, event }, now);
}
