// What /admin/channels shows: each channel subscriber with its state, why it was disabled, and its components.
import type { Db } from '../db/connection.ts';
import { listJobs } from '../jobs/job.repository.ts';
import { CHANNEL_JOB_KIND } from './channel-outbox.ts';
import { listChannelSubscribers, type ChannelSubscriber } from './channel.repository.ts';
import { channelTypeLabels } from './channel.schemas.ts';

export interface ChannelRowView {
  id: string;
  typeLabel: string;
  /** Host and the start of the path: webhook URLs are secrets, so never shown whole. */
  where: string;
  state: ChannelSubscriber['state'];
  stateLabel: string;
  reason: string | null;
  components: string;
  addedBy: string;
  since: string;
}

export interface ChannelsView {
  rows: ChannelRowView[];
  /** Deliveries waiting or retrying. */
  queued: number;
  teamChannel: string | null;
}

const stateLabels: Record<ChannelSubscriber['state'], string> = { pending: 'Pending confirmation', active: 'Active', disabled: 'Disabled' };

/** The URL as admin sees it: scheme, host and the first path segment, the rest elided. */
export function maskedUrl(url: string): string {
  const u = new URL(url);
  const first = u.pathname.split('/').filter(Boolean)[0];
  return `${u.protocol}//${u.host}/${first ? `${first}/…` : ''}`;
}

/** The admin list. */
export async function channelsView(db: Db, names: ReadonlyMap<string, string>, teamUrl: string | undefined): Promise<ChannelsView> {
  const [subs, jobs] = await Promise.all([listChannelSubscribers(db), listJobs(db, CHANNEL_JOB_KIND)]);
  return {
    rows: subs.map((s) => ({
      id: s.id, typeLabel: channelTypeLabels[s.type], where: maskedUrl(s.url), state: s.state, stateLabel: stateLabels[s.state], reason: s.disabledReason,
      components: s.components === null ? 'All components' : s.components.map((id) => names.get(id) ?? id).join(', '),
      addedBy: s.createdBy === 'admin' ? 'Admin' : 'Public (/subscribe)', since: new Date(s.createdAt).toISOString().slice(0, 10),
    })),
    queued: jobs.filter((j) => j.state === 'queued' || j.state === 'running').length,
    teamChannel: teamUrl ? maskedUrl(teamUrl) : null,
  };
}
