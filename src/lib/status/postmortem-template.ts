// The runbook's post-mortem template, filled with what the incident recorded; the prose is left to the author.
import { zoneAbbreviation } from './format.ts';
import { resolvedAt, startedAt } from './incident.ts';
import { dayKey, formatDuration, toLocalDateTime } from './time.ts';
import type { Incident } from './types.ts';
import { incidentStatusLabels, type IncidentStatus } from './vocabulary.ts';

interface TimelineEntry {
  at: number | null;
  text: string;
  /** Where it sorts: its own time, or for an unrecorded step, a neighbouring step's. */
  key: number;
  /** At the same instant, runbook steps (0–5) in their order, then updates (6…). */
  order: number;
}

/** The runbook's steps at their recorded times, then every public update; sorted by time. */
function timelineEntries(incident: Incident): TimelineEntry[] {
  const oldestFirst = [...incident.updates].reverse();
  const firstWith = (status: IncidentStatus): number | null => oldestFirst.find((u) => u.status === status)?.at ?? null;
  const steps: [number | null, string][] = [
    [incident.startedAt, 'Event occurred'],
    [incident.detectedAt, 'Alert triggered'],
    [incident.acknowledgedAt, 'Engineer acknowledged'],
    [firstWith('identified'), 'Root cause identified'],
    [incident.mitigatedAt ?? firstWith('monitoring'), 'Mitigation applied'],
    [resolvedAt(incident), 'Incident resolved'],
  ];
  const entries: TimelineEntry[] = [];
  steps.forEach(([at, text], i) => {
    let key = at;
    if (key === null) {
      // Unrecorded: the first three follow the step recorded before them, the rest precede the one after.
      const opening = i < 3;
      const neighbours = opening ? steps.slice(0, i).reverse() : steps.slice(i + 1);
      key = neighbours.find(([t]) => t !== null)?.[0] ?? (opening ? -Infinity : Infinity);
    }
    entries.push({ at, text, key, order: i });
  });
  oldestFirst.forEach((u, i) => {
    const firstLine = u.message.split('\n').map((l) => l.trim()).find((l) => l !== '');
    const text = `Status update (${incidentStatusLabels[u.status]})${firstLine ? `: ${firstLine}` : ''}`;
    entries.push({ at: u.at, text, key: u.at, order: steps.length + i });
  });
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.order - b.order));
}

/** The local "YYYY-MM-DD" and "HH:MM" of an instant in the zone. */
function localStamp(at: number, timeZone: string): { day: string; time: string } {
  const local = toLocalDateTime(at, timeZone);
  return { day: local.slice(0, 10), time: local.slice(11, 16) };
}

/**
 * Timeline lines. Times are HH:MM in the zone, its abbreviation once in the heading (on each time instead
 * when the incident crosses a DST change); a multi-day incident shows dates too.
 */
function timelineSection(incident: Incident, timeZone: string): string[] {
  const entries = timelineEntries(incident);
  const recorded = entries.flatMap((e) => (e.at === null ? [] : [e.at]));
  const multiDay = new Set(recorded.map((at) => dayKey(at, timeZone))).size > 1;
  const zones = new Set(recorded.map((at) => zoneAbbreviation(at, timeZone)));
  const heading = zones.size === 1 ? `## Timeline (${[...zones][0]})` : '## Timeline';
  const lines = entries.map(({ at, text }) => {
    if (at === null) return `- --:-- - ${text} (not recorded)`;
    const { day, time } = localStamp(at, timeZone);
    const zone = zones.size > 1 ? ` ${zoneAbbreviation(at, timeZone)}` : '';
    return `- ${multiDay ? `${day} ` : ''}${time}${zone} - ${text}`;
  });
  return [heading, ...lines];
}

/** "98 minutes", "1 minute". */
function minutes(ms: number): string {
  const n = Math.round(ms / 60_000);
  return `${n} ${n === 1 ? 'minute' : 'minutes'}`;
}

/**
 * A post-mortem draft for the incident, in the runbook's template: dates, duration, severity, timeline and
 * downtime come from the incident (times in `timeZone`); what only people know keeps the runbook's prompts.
 * `now` ends the duration of an incident that is still open.
 */
export function postmortemTemplate(incident: Incident, timeZone: string, now: number): { title: string; body: string } {
  const start = startedAt(incident);
  const resolved = resolvedAt(incident);
  const lasted = start === null ? null : Math.max(0, (resolved ?? now) - start);
  const soFar = resolved === null ? ' so far' : '';
  const date = start === null ? null : dayKey(start, timeZone);
  let downtime = lasted === null ? 'X minutes' : `${minutes(lasted)}${soFar}`;
  if (incident.falsePositive) downtime = '0 minutes (false positive)';
  const body = [
    '## Summary',
    `- **Date**: ${date ?? 'YYYY-MM-DD'}`,
    `- **Duration**: ${lasted === null ? 'X hours' : `${formatDuration(lasted)}${soFar}`}`,
    `- **Severity**: ${incident.severity}`,
    '- **Impact**: Number of users affected',
    '',
    ...timelineSection(incident, timeZone),
    '',
    '## Root Cause',
    'Detailed explanation of what went wrong',
    '',
    '## Impact',
    '- Users affected: X',
    '- Revenue impact: $X',
    `- Downtime: ${downtime}`,
    '',
    '## Resolution',
    'What fixed the issue',
    '',
    '## Action Items',
    '- [ ] Fix root cause (owner, deadline)',
    '- [ ] Improve monitoring (owner, deadline)',
    '- [ ] Update runbook (owner, deadline)',
    '- [ ] Add automated tests (owner, deadline)',
    '',
    '## Lessons Learned',
    'What went well and what needs improvement',
    '',
  ].join('\n');
  return { title: `Incident Post-Mortem: ${date ?? '[Date]'} - ${incident.title}`, body };
}
