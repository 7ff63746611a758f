// Shapes the pages render: plain data, already formatted; templates do not compute.
import type { ComponentStatus, Impact, Indicator, IncidentStatus, MaintenanceStatus, Severity } from '../../status/vocabulary.ts';

export interface TimeView {
  iso: string;
  text: string;
}

export interface UpdateView {
  id: string;
  status: IncidentStatus | MaintenanceStatus;
  statusLabel: string;
  html: string;
  /** Why the message could not be rendered (it is shown as escaped text then), for the admin; null when it was. */
  renderProblem: string | null;
  at: TimeView;
  /** The element id feeds link to (`update-<n>`, oldest 1); null where several timelines share a page. */
  anchor: string | null;
}

export interface AffectedComponentView {
  id: string;
  name: string;
  status: ComponentStatus;
  statusLabel: string;
}

export interface IncidentView {
  id: string;
  /** Shown only to signed-in users (their view alone holds such items): marked "Team only". */
  teamOnly?: boolean;
  href: string;
  title: string;
  severity: Severity;
  impact: Impact;
  impactLabel: string;
  status: IncidentStatus;
  statusLabel: string;
  resolved: boolean;
  falsePositive: boolean;
  components: AffectedComponentView[];
  started: TimeView | null;
  resolvedAt: TimeView | null;
  durationText: string | null;
  /** While open and the 15-minute promise holds: when the next update is due (a time of day, with the zone). */
  nextUpdateBy: TimeView | null;
  updates: UpdateView[];
  bodyHtml: string;
  postmortem: { href: string; title: string } | null;
  repeatOf: { href: string; title: string } | null;
}

export interface MaintenanceView {
  id: string;
  /** Shown only to signed-in users (their view alone holds such items): marked "Team only". */
  teamOnly?: boolean;
  href: string;
  title: string;
  status: MaintenanceStatus;
  statusLabel: string;
  start: TimeView;
  end: TimeView;
  components: { id: string; name: string }[];
  updates: UpdateView[];
  bodyHtml: string;
}

export interface UptimeDayView {
  day: string;
  level: 'ok' | 'maintenance' | 'degraded' | 'partial' | 'major' | 'nodata';
  text: string;
  /** Something happened that day: worth a keyboard stop. */
  eventful: boolean;
  /** The tooltip's parts (front page): date, the day's uptime, time in each outage kind, the incidents. */
  date?: string;
  uptimeText?: string;
  worstLabel?: string;
  outages?: UptimeOutageView[];
  incidents?: { id: string; href: string; title: string }[];
}

export interface UptimeOutageView {
  level: 'maintenance' | 'degraded' | 'partial' | 'major';
  label: string;
  durationText: string;
}

export interface ComponentRowView {
  id: string;
  /** Shown only to signed-in users (their view alone holds such items): marked "Team only". */
  teamOnly?: boolean;
  name: string;
  description: string | null;
  status: ComponentStatus;
  statusLabel: string;
  uptimeText: string;
  days: UptimeDayView[];
}

export interface ComponentGroupView {
  id: string;
  /** Shown only to signed-in users (their view alone holds such items): marked "Team only". */
  teamOnly?: boolean;
  name: string;
  description: string | null;
  /** null for a component listed on its own, outside any group. */
  status: ComponentStatus;
  statusLabel: string;
  isGroup: boolean;
  components: ComponentRowView[];
  /** A group with a problem (a component not operational, or maintenance under way) starts unfolded. */
  open?: boolean;
  /** A group's own 90-day bar: each day the worst of its components. */
  days?: UptimeDayView[];
  uptimeText?: string;
}

export interface SiteView {
  name: string;
  description: string;
  url: string;
  supportUrl: string | null;
  timezone: string;
  /** Link /reliability in the header (site.yaml `show_reliability`). */
  showReliability: boolean;
}

export interface BannerView {
  indicator: Indicator;
  description: string;
  updated: TimeView;
}
