// What each email says, as stored in the outbox: the template's input, rendered per recipient at send time.
import type { Severity } from '../../status/vocabulary.ts';

/** The runbook's stakeholder statuses. */
export type StakeholderStatus = 'Investigating' | 'Mitigating' | 'Resolved';

interface Common {
  siteName: string;
  signature: string;
  /** Public base URL of the status page, without a trailing slash; personal links are built on it. */
  baseUrl: string;
}

export interface IncidentEmailData extends Common {
  kind: 'incident';
  severity: Severity;
  status: StakeholderStatus;
  title: string;
  /** Affected components and their status, one per entry. */
  impact: string[];
  eta: string;
  /** The update's message as written. */
  message: string;
  /** When the next update is due (formatted), or null once resolved. */
  nextUpdate: string | null;
  postedAt: string;
  url: string;
}

export interface MaintenanceEmailData extends Common {
  kind: 'maintenance';
  phase: 'scheduled' | 'started';
  title: string;
  window: string;
  components: string[];
  message: string;
  url: string;
}

export interface PostmortemEmailData extends Common {
  kind: 'postmortem';
  severity: Severity;
  title: string;
  incidentTitle: string;
  summary: string;
  url: string;
}

export interface ConfirmationEmailData extends Common {
  kind: 'confirmation' | 'already_subscribed';
  /** Component names chosen, or null for all of them. */
  components: string[] | null;
}

/** A runbook reminder to an admin (not a subscriber): a public update or an escalation step coming due. */
export interface ReminderEmailData extends Common {
  kind: 'reminder';
  reminder: 'update_due' | 'escalation_due';
  severity: Severity;
  incidentTitle: string;
  /** When it is due, formatted in the site's zone. */
  dueAt: string;
  /** For an escalation: who is to be told ("Engineering manager"). */
  roleLabel: string | null;
  /** The admin incident page. */
  url: string;
  /** Where an admin turns these reminders off. */
  accountUrl: string;
}

export type EmailData = IncidentEmailData | MaintenanceEmailData | PostmortemEmailData | ConfirmationEmailData | ReminderEmailData;

/** A recipient's personal links; `token` is the email's own random link token. */
export interface EmailLinks {
  manage: string;
  unsubscribe: string;
  confirm: string;
}

/** The personal links of one email, built from the public base URL and its token. */
export function linksFor(baseUrl: string, token: string): EmailLinks {
  const t = encodeURIComponent(token);
  return { manage: `${baseUrl}/manage/${t}`, unsubscribe: `${baseUrl}/unsubscribe/${t}`, confirm: `${baseUrl}/subscribe/confirm/${t}` };
}

/** Links shown in admin previews: clearly not anyone's real token. */
export function previewLinks(baseUrl: string): EmailLinks {
  return linksFor(baseUrl, 'PREVIEW-TOKEN');
}
