// Domain objects shared by both content sources (markdown files and the admin database).
import type {
  Audience, ComponentStatus, Impact, IncidentComponentStatus, IncidentStatus, MaintenanceStatus, Severity,
} from './vocabulary.ts';
import type { Locale } from '../i18n/locales.ts';

/** Where an object came from: a file under content/ (read-only in admin) or the admin form. */
export type Source = 'file' | 'admin';

export interface Site {
  name: string;
  url: string;
  description: string;
  timezone: string;
  supportUrl: string | null;
  emailSignature: string;
  /** site.yaml `logo`: an image URL, absolute or relative to the site URL, shown in every email's header; null without one. */
  logo: string | null;
  /** site.yaml `show_reliability`: publish /reliability. */
  showReliability: boolean;
  /** site.yaml `languages`: the interface languages served, the first at '/' and the others under /<code>/; absent means [en]. */
  languages?: Locale[];
  /** Set when site.yaml says `visibility: private` (or an unreadable visibility): every public page needs a session or a reader pass. */
  privateAccess?: { allowedDomains: string[] };
}

export interface Component {
  id: string;
  name: string;
  description: string | null;
  /** The status it has when no incident or maintenance touches it. */
  baseline: ComponentStatus;
  groupId: string | null;
  /** Order of appearance in components.yaml, groups and members counted alike. */
  position: number;
  /** `internal`: shown only to signed-in users (absent: public). A member of an internal group is internal too. */
  audience?: Audience;
}

export interface ComponentGroup {
  id: string;
  name: string;
  description: string | null;
  position: number;
  components: Component[];
  /** `internal`: the group and all its members are shown only to signed-in users (absent: public). */
  audience?: Audience;
}

export type ComponentStatusMap = Record<string, IncidentComponentStatus>;

export interface IncidentUpdate {
  id: string;
  at: number;
  status: IncidentStatus;
  message: string;
  /** Component statuses from this update on; null keeps the previous ones. */
  components: ComponentStatusMap | null;
  /** The admin ticked "notify subscribers" on this update. */
  notify?: boolean;
}

export interface Incident {
  id: string;
  source: Source;
  title: string;
  severity: Severity;
  impactOverride: Impact | null;
  /** Affected components and the status each has while the incident is open. */
  components: ComponentStatusMap;
  startedAt: number | null;
  detectedAt: number | null;
  acknowledgedAt: number | null;
  mitigatedAt: number | null;
  falsePositive: boolean;
  repeatOf: string | null;
  /** Newest first. */
  updates: IncidentUpdate[];
  body: string;
  /** A data breach takes a P0/P1 straight to the CTO. */
  dataBreach?: boolean;
  /** The admin's "notify subscribers" choice when opening the incident. */
  notifySubscribers?: boolean;
  /** `internal`: shown only to signed-in users (absent: public; also internal when every component it names is). */
  audience?: Audience;
}

export interface MaintenanceUpdate {
  id: string;
  at: number;
  status: MaintenanceStatus;
  message: string;
}

export interface Maintenance {
  id: string;
  source: Source;
  title: string;
  components: string[];
  scheduledStart: number;
  scheduledEnd: number;
  /** Newest first. */
  updates: MaintenanceUpdate[];
  body: string;
  /** When the window was announced: a file's `announced:` (else when the file was first seen), an admin's creation time. */
  announcedAt?: number | null;
  /** `internal`: shown only to signed-in users (absent: public; also internal when every component it names is). */
  audience?: Audience;
}

export interface Postmortem {
  id: string;
  source: Source;
  incidentId: string;
  title: string;
  /** null while a draft: never public. */
  publishedAt: number | null;
  body: string;
  /** A file that says `published:` while template placeholders remain: kept a draft (never public, never emailed) until they are filled. */
  withheld?: { publishAt: number; placeholders: { field: 'title' | 'body'; line: number; text: string }[] };
}
