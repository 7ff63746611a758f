// The internal team channel (TEAM_CHANNEL_URL): every admin action and the runbook's reminders, posted as they happen.
import type { Db } from '../db/connection.ts';
import { env } from '../env.ts';
import type { ReminderEmailData } from '../email/email-data.ts';
import { reminderSubject } from '../email/reminder-email.ts';
import type { ChannelEvent } from './channel-event.ts';
import { enqueueTeamMessage } from './channel-outbox.ts';

/** A team-channel event: a title, a line of detail, and a link when there is one. */
export function teamEvent(key: string, title: string, message: string, url: string, at: number, siteName = 'Status page'): ChannelEvent {
  return { key, kind: 'team', siteName, baseUrl: '', title, status: null, severity: null, message, impact: [], componentIds: [], url, at };
}

/** Posts an admin action (from the audit log) to the team channel; nothing without TEAM_CHANNEL_URL. */
export async function notifyTeamOfAction(db: Db, auditId: string, entry: { actor: string; action: string; target?: string | null; detail?: string | null }, now: number): Promise<void> {
  const settings = env();
  if (!settings.TEAM_CHANNEL_URL) return;
  const title = `${entry.actor}: ${entry.action}${entry.target ? ` ${entry.target}` : ''}`;
  const url = settings.SITE_URL ? `${settings.SITE_URL.replace(/\/+$/, '')}/admin/audit` : '';
  await enqueueTeamMessage(db, teamEvent(`audit:${auditId}`, title, entry.detail ?? '', url, now), now, settings.TEAM_CHANNEL_URL);
}

/** Posts an update-due or escalation reminder to the team channel ("Update incident channel every 15 minutes"). */
export async function notifyTeamOfReminder(db: Db, key: string, data: ReminderEmailData, now: number): Promise<void> {
  const teamUrl = env().TEAM_CHANNEL_URL;
  if (!teamUrl) return;
  await enqueueTeamMessage(db, { ...teamEvent(key, reminderSubject(data), data.reminder === 'update_due' ? `Post a public update by ${data.dueAt}.` : `Tell ${data.roleLabel ?? 'the next level'} now.`, data.url, now, data.siteName), severity: data.severity }, now, teamUrl);
}
