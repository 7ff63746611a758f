// Sends the runbook's reminders that have come due to every admin who has them on, once per due time.
import { dueReminders, nextReminderAt } from '../../status/reminders.ts';
import type { EscalationRecord } from '../../status/escalation.ts';
import { reminderAddresses } from '../auth/users.ts';
import { notifyTeamOfReminder } from '../channels/team-channel.ts';
import type { Db } from '../db/connection.ts';
import { emailContext } from '../email/notifications.ts';
import { enqueueOnce, notifiedKeys } from '../email/outbox.ts';
import { reminderEmailData } from '../email/reminder-email.ts';
import { listEscalationRecords } from '../incidents/incident.repository.ts';
import type { StatusModel } from '../status-data/status-model.ts';

/** Escalation records of the open P0/P1 incidents (the only ones with a path). */
export async function openEscalationRecords(db: Db, model: StatusModel): Promise<Map<string, EscalationRecord[]>> {
  const out = new Map<string, EscalationRecord[]>();
  for (const i of model.openIncidents) {
    if (i.severity === 'P0' || i.severity === 'P1') out.set(i.id, await listEscalationRecords(db, i.id));
  }
  return out;
}

/** Queues what is due now and not sent yet; returns how many reminders went out and when the next one is. */
export async function sendDueReminders(db: Db, model: StatusModel, siteUrl: string | undefined, now: number): Promise<{ sent: number; nextAt: number | null }> {
  const records = await openEscalationRecords(db, model);
  const due = dueReminders(model.openIncidents, records, now);
  const nextAt = nextReminderAt(model.openIncidents, records, now);
  if (due.length === 0) return { sent: 0, nextAt };
  const done = await notifiedKeys(db, due.map((r) => r.key));
  const pending = due.filter((r) => !done.has(r.key));
  if (pending.length === 0) return { sent: 0, nextAt };
  const to = await reminderAddresses(db);
  const ctx = emailContext(model, siteUrl);
  let sent = 0;
  for (const r of pending) {
    const incident = model.incidentById.get(r.incidentId)!;
    const data = reminderEmailData(ctx, incident, r);
    if (await enqueueOnce(db, r.key, data, to, now)) {
      sent++;
      await notifyTeamOfReminder(db, r.key, data, now);
    }
  }
  return { sent, nextAt };
}
