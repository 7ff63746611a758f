// The channel worker: runs channel-send jobs, builds each vendor's body at send time, disables a subscriber after sustained failure.
import type { Db } from '../db/connection.ts';
import type { Env } from '../env.ts';
import type { JobHandler } from '../jobs/job-worker.ts';
import { startJobWorker, type JobWorker } from '../jobs/job-worker.ts';
import type { ChannelEvent, ChannelType } from './channel-event.ts';
import { sendChannelMessage } from './channel-delivery.ts';
import { CHANNEL_JOB_KIND, type ChannelJobPayload } from './channel-outbox.ts';
import { disableChannelSubscriber, findChannelSubscriber } from './channel.repository.ts';
import { discordBody } from './discord-payload.ts';
import { slackBody } from './slack-payload.ts';
import { teamsBody } from './teams-payload.ts';
import { webhookBody } from './webhook-payload.ts';

/** Attempts before a subscriber is disabled: with the default 2 s base, about eight and a half minutes of trying. */
export const CHANNEL_MAX_ATTEMPTS = 8;

/** The body a channel of this type is sent. */
export function channelBody(type: ChannelType, event: ChannelEvent, subscriberId: string): unknown {
  if (type === 'slack') return slackBody(event);
  if (type === 'teams') return teamsBody(event);
  if (type === 'discord') return discordBody(event);
  return webhookBody(event, { subscriberId, unsubscribeUrl: `${event.baseUrl}/subscribe` });
}

/** The team channel's type, from its URL: Teams workflow URLs, else Slack. */
export function teamChannelType(url: string): ChannelType {
  return /logic\.azure\.com|powerplatform|webhook\.office\.com|\/teams/i.test(url) ? 'teams' : 'slack';
}

export interface ChannelHandlerOptions {
  db: Db;
  settings: Pick<Env, 'ALLOW_PRIVATE_WEBHOOKS' | 'TEAM_CHANNEL_URL'>;
  now: () => number;
  maxAttempts: number;
}

/** Runs one delivery; throws to retry; on the last attempt disables the subscriber with the reason. */
export function channelHandler(o: ChannelHandlerOptions): JobHandler {
  return async (raw, { attempt, signal }) => {
    const { to, event } = raw as ChannelJobPayload;
    let url: string;
    let body: unknown;
    let secret: string | null = null;
    let messageId: string;
    if ('team' in to) {
      if (!o.settings.TEAM_CHANNEL_URL) return 'skipped: TEAM_CHANNEL_URL is not set';
      url = o.settings.TEAM_CHANNEL_URL;
      body = channelBody(teamChannelType(url), event, 'team');
      messageId = `team:${event.key}`;
    } else {
      const s = await findChannelSubscriber(o.db, to.subscriberId);
      if (!s) return 'skipped: subscriber removed';
      if (s.state === 'disabled' || (s.state === 'pending' && event.kind !== 'confirm')) return `skipped: subscriber ${s.state}`;
      url = s.url;
      body = channelBody(s.type, event, s.id);
      secret = s.signingSecret;
      messageId = `msg_${s.id}_${Buffer.from(event.key).toString('base64url')}`.slice(0, 200);
    }
    const r = await sendChannelMessage({ url, body, messageId, signingSecret: secret, allowPrivate: o.settings.ALLOW_PRIVATE_WEBHOOKS, now: o.now(), signal });
    if (r.ok) return `delivered (${r.status})`;
    const last = attempt >= o.maxAttempts || (!r.retryable && r.error.startsWith('URL '));
    if (last && !('team' in to)) {
      await disableChannelSubscriber(o.db, to.subscriberId, `${attempt} failed attempt${attempt === 1 ? '' : 's'}, last: ${r.error}`, o.now());
    }
    throw new Error(r.error);
  };
}

export interface ChannelWorkerOptions {
  db: Db;
  now?: () => number;
  pollMs?: number;
  log?: (line: string) => void;
}

/** Starts delivering channel jobs; retries back off from CHANNEL_RETRY_BASE_MS. */
export function startChannelWorker(settings: Env, o: ChannelWorkerOptions): JobWorker {
  const now = o.now ?? Date.now;
  const base = settings.CHANNEL_RETRY_BASE_MS;
  return startJobWorker({
    db: o.db, now, pollMs: o.pollMs ?? 500, maxAttempts: CHANNEL_MAX_ATTEMPTS, log: o.log,
    handlers: { [CHANNEL_JOB_KIND]: channelHandler({ db: o.db, settings, now, maxAttempts: CHANNEL_MAX_ATTEMPTS }) },
    backoffMs: (attempt, random) => {
      const ceiling = Math.min(10 * 60_000, base * 2 ** Math.max(0, attempt - 1));
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
    },
  });
}
