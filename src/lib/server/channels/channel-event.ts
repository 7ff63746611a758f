// What a channel message says, vendor-neutral: built once from the email's stored data, so chat says what the email says.
import type { EmailData } from '../email/email-data.ts';
import type { ComponentChange } from './component-changes.ts';

export const channelTypes = ['webhook', 'slack', 'teams', 'discord'] as const;
export type ChannelType = (typeof channelTypes)[number];

export interface ChannelEvent {
  /** The notification's ledger key: the event's identity, once per event. */
  key: string;
  kind: 'incident' | 'maintenance' | 'postmortem' | 'confirm' | 'team' | 'component';
  siteName: string;
  baseUrl: string;
  title: string;
  /** incident: investigating…resolved; maintenance: scheduled | in_progress; else null. */
  status: string | null;
  /** P1…P4 for incidents and post-mortems. */
  severity: string | null;
  /** Plain text of the newest update. */
  message: string;
  /** Affected components and their status, e.g. "Public API: partial outage". */
  impact: string[];
  componentIds: string[];
  url: string;
  at: number;
  /** Component statuses the news changed (incidents); a 'component' event carries exactly one. */
  componentChanges?: ComponentChange[];
}

/** The event an outbox notification becomes; null for emails that are not news (confirmations, reminders). */
export function channelEventFromEmail(key: string, data: EmailData, componentIds: readonly string[], at: number, changes: readonly ComponentChange[] = []): ChannelEvent | null {
  const base = { key, siteName: data.siteName, baseUrl: data.baseUrl, componentIds: [...componentIds], at, componentChanges: [...changes] };
  if (data.kind === 'incident') {
    return { ...base, kind: 'incident', title: data.title, status: data.status, severity: data.severity, message: data.message, impact: data.impact, url: data.url };
  }
  if (data.kind === 'maintenance') {
    return { ...base, kind: 'maintenance', title: data.title, status: data.phase === 'started' ? 'in_progress' : 'scheduled', severity: null, message: `${data.window}\n\n${data.body.text}`, impact: data.components, url: data.url };
  }
  if (data.kind === 'postmortem') {
    return { ...base, kind: 'postmortem', title: data.title, status: null, severity: data.severity, message: data.excerpt.text, impact: [], url: data.url };
  }
  return null;
}
