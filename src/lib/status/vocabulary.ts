// Every status word the product knows, defined once and reused by zod, the database and the UI.
import type { MessageKey } from '../i18n/catalogs/en.ts';
import type { Locale } from '../i18n/locales.ts';
import { translate } from '../i18n/translate.ts';

export const componentStatuses = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ComponentStatus = (typeof componentStatuses)[number];

/** Statuses an incident may give a component while it is open. */
export const incidentComponentStatuses = ['degraded_performance', 'partial_outage', 'major_outage'] as const;
export type IncidentComponentStatus = (typeof incidentComponentStatuses)[number];

export const incidentStatuses = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export const maintenanceStatuses = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type MaintenanceStatus = (typeof maintenanceStatuses)[number];

export const severities = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof severities)[number];

export const impacts = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof impacts)[number];

/** Who may see a component, group, incident or maintenance: everyone, or only signed-in team members. */
export const audiences = ['public', 'internal'] as const;
export type Audience = (typeof audiences)[number];

export const indicators = ['none', 'minor', 'major', 'critical', 'maintenance'] as const;
export type Indicator = (typeof indicators)[number];

export const componentStatusLabels: Record<ComponentStatus, string> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

export const incidentStatusLabels: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

export const maintenanceStatusLabels: Record<MaintenanceStatus, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
};

export const impactLabels: Record<Impact, string> = {
  none: 'No impact',
  minor: 'Minor impact',
  major: 'Major impact',
  critical: 'Critical impact',
};

/** The runbook's severity levels: name, response target and what qualifies. */
export const severityLevels: Record<Severity, { name: string; responseMinutes: number; criteria: readonly string[]; action: string }> = {
  P0: {
    name: 'Critical',
    responseMinutes: 15,
    criteria: ['Service completely down', 'Data breach or security incident', 'Complete loss of functionality'],
    action: 'Escalate immediately to on-call team',
  },
  P1: {
    name: 'High',
    responseMinutes: 60,
    criteria: ['Major functionality degraded', 'High error rates (>20%)', 'Performance severely degraded'],
    action: 'Page on-call engineer',
  },
  P2: {
    name: 'Medium',
    responseMinutes: 240,
    criteria: ['Partial functionality affected', 'Moderate error rates (5-20%)', 'Performance issues'],
    action: 'Notify team via Slack',
  },
  P3: {
    name: 'Low',
    responseMinutes: 1440,
    criteria: ['Minor issues', 'Low impact on users', 'Non-critical bugs'],
    action: 'Create ticket',
  },
};

// Locale-aware labels: the catalog's words for the reader's language; English (the default) is the maps above.
const componentStatusKeys = {
  operational: 'componentStatus.operational',
  under_maintenance: 'componentStatus.under_maintenance',
  degraded_performance: 'componentStatus.degraded_performance',
  partial_outage: 'componentStatus.partial_outage',
  major_outage: 'componentStatus.major_outage',
} as const satisfies Record<ComponentStatus, MessageKey>;

const incidentStatusKeys = {
  investigating: 'incidentStatus.investigating',
  identified: 'incidentStatus.identified',
  monitoring: 'incidentStatus.monitoring',
  resolved: 'incidentStatus.resolved',
} as const satisfies Record<IncidentStatus, MessageKey>;

const maintenanceStatusKeys = {
  scheduled: 'maintenanceStatus.scheduled',
  in_progress: 'maintenanceStatus.in_progress',
  verifying: 'maintenanceStatus.verifying',
  completed: 'maintenanceStatus.completed',
} as const satisfies Record<MaintenanceStatus, MessageKey>;

const impactKeys = {
  none: 'impact.none',
  minor: 'impact.minor',
  major: 'impact.major',
  critical: 'impact.critical',
} as const satisfies Record<Impact, MessageKey>;

/** The page-wide indicator's words (overall.ts), by their English wording. */
const overallKeys: Record<string, MessageKey> = {
  'Major System Outage': 'overall.critical',
  'Partial System Outage': 'overall.major',
  'Minor Service Outage': 'overall.minor',
  'Partially Degraded Service': 'overall.degraded',
  'Service Under Maintenance': 'overall.maintenance',
  'All Systems Operational': 'overall.none',
};

/** "Operational", "Betriebsbereit" … */
export function componentStatusLabel(status: ComponentStatus, locale: Locale = 'en'): string {
  return locale === 'en' ? componentStatusLabels[status] : translate(locale, componentStatusKeys[status]);
}

/** "Investigating", "Wird untersucht" … */
export function incidentStatusLabel(status: IncidentStatus, locale: Locale = 'en'): string {
  return locale === 'en' ? incidentStatusLabels[status] : translate(locale, incidentStatusKeys[status]);
}

/** "Scheduled", "Geplant" … */
export function maintenanceStatusLabel(status: MaintenanceStatus, locale: Locale = 'en'): string {
  return locale === 'en' ? maintenanceStatusLabels[status] : translate(locale, maintenanceStatusKeys[status]);
}

/** "Major impact", "Schwere Auswirkung" … */
export function impactLabel(impact: Impact, locale: Locale = 'en'): string {
  return locale === 'en' ? impactLabels[impact] : translate(locale, impactKeys[impact]);
}

/** The overall indicator's description ("All Systems Operational") in the reader's language. */
export function overallDescription(description: string, locale: Locale = 'en'): string {
  const key = overallKeys[description];
  return locale === 'en' || !key ? description : translate(locale, key);
}

const severityKeys = {
  P0: 'severity.P0',
  P1: 'severity.P1',
  P2: 'severity.P2',
  P3: 'severity.P3',
} as const satisfies Record<Severity, MessageKey>;

/** The runbook's name of a severity ("Critical") in the reader's language. */
export function severityName(severity: Severity, locale: Locale = 'en'): string {
  return locale === 'en' ? severityLevels[severity].name : translate(locale, severityKeys[severity]);
}
