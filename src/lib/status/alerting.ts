// Alerts in: how an alert maps to the runbook (severity, components, publishing) and what one delivery does to
// its group's incident (open, monitoring, back to investigating, resolve after the hold-down). No I/O.
import type { IncidentComponentStatus, Severity } from './vocabulary.ts';

export const publishModes = ['auto', 'draft'] as const;
export type PublishMode = (typeof publishModes)[number];

export interface AlertingConfig {
  componentLabel: string;
  severityLabel: string;
  /** Label value → runbook level. */
  severity: Record<string, Severity>;
  /** Level used when the label is missing or not in `severity`. */
  defaultSeverity: Severity;
  publish: Record<Severity, PublishMode>;
  resolveAfterMs: number;
}

export const defaultAlertingConfig: AlertingConfig = {
  componentLabel: 'component',
  severityLabel: 'severity',
  severity: { critical: 'P1', warning: 'P2', info: 'P3' },
  defaultSeverity: 'P3',
  publish: { P0: 'auto', P1: 'auto', P2: 'draft', P3: 'draft' },
  resolveAfterMs: 15 * 60_000,
};

/** "15m", "2s", "1h", "90s" → milliseconds; null when not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

/** The status an incident gives its components, by severity (P0 a major outage, P1 partial, else degraded). */
export function componentStatusFor(severity: Severity): IncidentComponentStatus {
  return severity === 'P0' ? 'major_outage' : severity === 'P1' ? 'partial_outage' : 'degraded_performance';
}

export interface AlertLabels {
  [name: string]: string;
}

/** The runbook level of one alert's labels. */
export function alertSeverity(config: AlertingConfig, labels: AlertLabels): Severity {
  const value = labels[config.severityLabel];
  return (value !== undefined ? config.severity[value] : undefined) ?? config.defaultSeverity;
}

const rank: Record<Severity, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/** The most severe level among the alerts (the default level for none). */
export function worstSeverity(config: AlertingConfig, labelSets: readonly AlertLabels[]): Severity {
  let worst: Severity = config.defaultSeverity;
  let first = true;
  for (const labels of labelSets) {
    const s = alertSeverity(config, labels);
    if (first || rank[s] < rank[worst]) worst = s;
    first = false;
  }
  return worst;
}

/** Known component ids named by the alerts' component label, in first-seen order. */
export function alertComponents(config: AlertingConfig, labelSets: readonly AlertLabels[], known: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const labels of labelSets) {
    const id = labels[config.componentLabel];
    if (id !== undefined && known.has(id) && !out.includes(id)) out.push(id);
  }
  return out;
}

/** What the group's incident looks like now, as far as the rules care. */
export interface GroupState {
  /** The incident made for this group, or null (none yet, a draft, or only recorded). */
  incident: null | {
    open: boolean;
    status: 'investigating' | 'identified' | 'monitoring' | 'resolved';
    /** A person posted after the last automatic update: automatic updates stop. */
    personPosted: boolean;
  };
  /** When the all-resolved group resolves its incident, or null. */
  resolveDueAt: number | null;
}

export interface DeliveryFacts {
  /** Alerts of the group still firing after this delivery was stored. */
  firing: number;
  /** Why nothing may be published (maintenance window, bad alerting.yaml), or null. */
  silenced: string | null;
  publish: PublishMode;
  now: number;
  resolveAfterMs: number;
}

export type AlertAction =
  | { kind: 'none'; reason: string }
  | { kind: 'open' }
  | { kind: 'draft' }
  | { kind: 'investigating' }
  | { kind: 'monitoring'; resolveDueAt: number };

/** What one stored delivery does to its group's incident. */
export function decideDelivery(state: GroupState, facts: DeliveryFacts): AlertAction {
  if (facts.silenced) return { kind: 'none', reason: facts.silenced };
  const inc = state.incident;
  if (inc?.personPosted && inc.open) return { kind: 'none', reason: 'a person has posted on the incident' };
  if (facts.firing > 0) {
    if (!inc || !inc.open) return facts.publish === 'auto' ? { kind: 'open' } : { kind: 'draft' };
    // Firing again during the hold-down (flapping): the same incident goes back to investigating.
    if (inc.status === 'monitoring') return { kind: 'investigating' };
    return { kind: 'none', reason: 'the incident is open' };
  }
  if (!inc || !inc.open) return { kind: 'none', reason: 'no open incident' };
  if (inc.status === 'monitoring' && state.resolveDueAt !== null) return { kind: 'none', reason: 'already monitoring' };
  return { kind: 'monitoring', resolveDueAt: facts.now + facts.resolveAfterMs };
}

/** Whether the hold-down has passed and the incident may be resolved now. */
export function resolveIsDue(state: GroupState, firing: number, now: number): boolean {
  const inc = state.incident;
  return state.resolveDueAt !== null && state.resolveDueAt <= now && firing === 0 && !!inc && inc.open && !inc.personPosted;
}
