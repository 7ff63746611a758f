// The runbook's reminders to admins: what the email says (pure), from an incident and a due reminder.
import { formatTime } from '../../status/format.ts';
import type { Reminder } from '../../status/reminders.ts';
import type { Incident } from '../../status/types.ts';
import { emailCommon, type SiteForEmail } from './compose.ts';
import type { ReminderEmailData } from './email-data.ts';
import type { EmailLayout } from './template-html.ts';

/** The stored data of one reminder email. */
export function reminderEmailData(ctx: SiteForEmail, incident: Pick<Incident, 'id' | 'title' | 'severity'>, r: Reminder): ReminderEmailData {
  return {
    kind: 'reminder',
    ...emailCommon(ctx),
    reminder: r.kind,
    severity: incident.severity,
    incidentTitle: incident.title,
    dueAt: formatTime(r.dueAt, ctx.site.timezone),
    roleLabel: r.roleLabel,
    url: `${ctx.baseUrl}/admin/incidents/${encodeURIComponent(incident.id)}`,
    accountUrl: `${ctx.baseUrl}/admin/account`,
  };
}

/** Subject: short, with the severity and what is due, so it stands out in an on-call inbox. */
export function reminderSubject(d: ReminderEmailData): string {
  return d.reminder === 'update_due'
    ? `[${d.severity}] Public update due ${d.dueAt}: ${d.incidentTitle}`
    : `[${d.severity}] Escalate to ${d.roleLabel ?? 'the next level'} now: ${d.incidentTitle}`;
}

/** The body, in the same layout as every other email. */
export function reminderLayout(d: ReminderEmailData): Omit<EmailLayout, 'footer'> {
  const update = d.reminder === 'update_due';
  return {
    subject: reminderSubject(d),
    preheader: update ? `The next public update is due by ${d.dueAt}.` : `The runbook's escalation path says ${d.roleLabel} is told at ${d.dueAt}.`,
    heading: update ? 'A public update is due' : `Escalate: ${d.roleLabel}`,
    accent: '#bc4c00',
    fields: [
      ['Incident', d.incidentTitle],
      ['Severity', d.severity],
      [update ? 'Update due by' : 'Due at', d.dueAt],
    ],
    detailsTitle: null,
    details: [
      update
        ? 'The runbook promises stakeholders an update every 15 minutes while an incident is open. Post one, even if nothing changed.'
        : `Tell ${d.roleLabel} and record it on the incident page, so the path shows who knows.`,
      `You get this because reminders are on for your admin account. Turn them off: ${d.accountUrl}`,
    ],
    action: { label: update ? 'Post an update' : 'Record the escalation', url: d.url },
    signature: d.signature,
  };
}
