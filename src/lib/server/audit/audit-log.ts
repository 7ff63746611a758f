// Who did what, when: every sign-in, failure, post, edit, delete, publish and user change.
import { notifyTeamOfAction } from '../channels/team-channel.ts';
import type { Db } from '../db/connection.ts';
import { newId } from '../ids.ts';

export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
}

/** Longest actor or target, and detail, kept: callers check their input, and no entry can grow the log by more anyway. */
const MAX_NAME = 320;
const MAX_DETAIL = 1000;
const clip = (v: string | null | undefined, max: number): string | null => (v == null ? null : v.length > max ? `${v.slice(0, max - 1)}…` : v);

/** Not admin actions: anyone can cause these, so they stay out of the team channel. */
const NOT_POSTED = new Set(['sign_in_failed', 'sign_in', 'password_reset_link']);

export async function recordAudit(db: Db, entry: { actor: string; action: string; target?: string | null; detail?: string | null }, now: number): Promise<void> {
  const id = newId();
  await db
    .insertInto('audit_log')
    .values({ id, at: new Date(now).toISOString(), actor: clip(entry.actor, MAX_NAME)!, action: clip(entry.action, MAX_NAME)!, target: clip(entry.target, MAX_NAME), detail: clip(entry.detail, MAX_DETAIL) })
    .execute();
  // The runbook's "Notify team via Slack": every admin action goes to TEAM_CHANNEL_URL too.
  if (!NOT_POSTED.has(entry.action)) await notifyTeamOfAction(db, id, { ...entry, detail: clip(entry.detail, MAX_DETAIL) }, now);
}

/** Newest first, a page at a time. */
export async function listAudit(db: Db, limit: number, offset: number): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  return rows.map((r) => ({ id: r.id, at: Date.parse(r.at), actor: r.actor, action: r.action, target: r.target, detail: r.detail }));
}
