// What each email says, as stored in the outbox: the template's input, rendered per recipient at send time.
import type { Locale } from '../../i18n/locales.ts';
import type { StakeholderStatus } from '../../status/stakeholder-status.ts';
import type { Severity } from '../../status/vocabulary.ts';
import type { EmailThread } from './threading.ts';

interface Common {
  siteName: string;
  signature: string;
  /** Public base URL of the status page, without a trailing slash; personal links are built on it. */
  baseUrl: string;
  /** site.yaml's `logo` as an absolute URL, for the brand header; null or absent without one. */
  logoUrl?: string | null;
}

/** Markdown rendered for both parts: sanitized HTML with inline styles, and plain text. */
export interface RenderedText {
  html: string;
  text: string;
}

/** One incident update an email carries. */
export interface EmailUpdate {
  /** "10:05 GMT · Mitigating — cause identified": shown when the email carries several updates. */
  heading: string;
  body: RenderedText;
}

export interface IncidentEmailData extends Common {
  kind: 'incident';
  severity: Severity;
  status: StakeholderStatus;
  /** The runbook's status, with the page's where they differ: "Mitigating — cause identified". */
  statusLabel: string;
  title: string;
  /** Affected components and their status, one per entry. */
  impact: string[];
  /** The update's "ETA: …", else Unknown; null once resolved (the resolution takes its row). */
  eta: string | null;
  /** "Resolved at 11:15 GMT (lasted 1 h 12 min)", or null while open. */
  resolution: string | null;
  /** The newest update's message as written (markdown). */
  message: string;
  /** The updates this email carries, oldest first: one, or several markdown updates that arrived together. */
  updates: EmailUpdate[];
  /** "Posted 10:05 GMT on 20 Nov 2026" (the newest update). */
  posted: string;
  /** "Ongoing for 42 min", or null once resolved (the resolution says how long it lasted). */
  duration: string | null;
  /** "10:20 GMT": the runbook's next update, while open and still ahead; else null. */
  nextUpdate: string | null;
  url: string;
  /** Null only in emails queued before threading existed. */
  thread: EmailThread | null;
  /** The same words in each other language the site serves, for subscribers who subscribed in it. */
  localized?: Partial<Record<Locale, IncidentWords>>;
}

/** The parts of an incident email written in the reader's language (the rest is content, as written). */
export type IncidentWords = Pick<IncidentEmailData, 'statusLabel' | 'impact' | 'eta' | 'resolution' | 'posted' | 'duration' | 'nextUpdate'> & {
  /** Each carried update's heading, in order. */
  headings: string[];
};

export interface MaintenanceEmailData extends Common {
  kind: 'maintenance';
  phase: 'scheduled' | 'started';
  title: string;
  window: string;
  /** The window in each other language the site serves. */
  localizedWindow?: Partial<Record<Locale, string>>;
  components: string[];
  /** The maintenance's own words (markdown), rendered. */
  body: RenderedText;
  url: string;
  thread: EmailThread | null;
}

export interface PostmortemEmailData extends Common {
  kind: 'postmortem';
  severity: Severity;
  title: string;
  incidentTitle: string;
  /** The post-mortem's Summary and Impact sections (else its first paragraph), rendered. */
  excerpt: RenderedText;
  url: string;
  /** The incident's thread: the post-mortem answers it. */
  thread: EmailThread | null;
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

/** An invitation to the admin (not a subscriber): the role and a one-time link to choose a password. */
export interface InviteEmailData extends Common {
  kind: 'invite';
  /** The role's label ("Responder") and what it may do. */
  role: string;
  roleDescription: string;
  invitedBy: string;
  url: string;
  validHours: number;
}

/** A private site's reader link (src/lib/server/private-site): the link itself is the email's own link token. */
export interface ReaderLinkEmailData extends Common {
  kind: 'reader_link';
  /** The page the reader asked for, a local path (safeReaderNext). */
  next: string;
  /** The language of the page the link was asked on. */
  locale: Locale;
  validMinutes: number;
}

export type EmailData = IncidentEmailData | MaintenanceEmailData | PostmortemEmailData | ConfirmationEmailData | ReminderEmailData | InviteEmailData | ReaderLinkEmailData;

/** A recipient's personal links; `token` is the email's own random link token. */
export interface EmailLinks {
  manage: string;
  unsubscribe: string;
  confirm: string;
  /** A private site's reader link (opened once, then a reader pass). */
  reader: string;
}

/** The personal links of one email, built from the public base URL and its token. */
export function linksFor(baseUrl: string, token: string): EmailLinks {
  const t = encodeURIComponent(token);
  return { manage: `${baseUrl}/manage/${t}`, unsubscribe: `${baseUrl}/unsubscribe/${t}`, confirm: `${baseUrl}/subscribe/confirm/${t}`, reader: `${baseUrl}/private/open/${t}` };
}

/** Links shown in admin previews: clearly not anyone's real token. */
export function previewLinks(baseUrl: string): EmailLinks {
  return linksFor(baseUrl, 'PREVIEW-TOKEN');
}
