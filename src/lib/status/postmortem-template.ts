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

/** The runbook's post-mortem template, verbatim (runbook section 6): the one source of its wording and prompts. */
export const runbookPostmortemTemplate = `# Incident Post-Mortem: [Date] - [Title]

## Summary
- **Date**: YYYY-MM-DD
- **Duration**: X hours
- **Severity**: PX
- **Impact**: Number of users affected

## Timeline
- HH:MM - Event occurred
- HH:MM - Alert triggered
- HH:MM - Engineer acknowledged
- HH:MM - Root cause identified
- HH:MM - Mitigation applied
- HH:MM - Incident resolved

## Root Cause
Detailed explanation of what went wrong

## Impact
- Users affected: X
- Revenue impact: $X
- Downtime: X minutes

## Resolution
What fixed the issue

## Action Items
- [ ] Fix root cause (owner, deadline)
- [ ] Improve monitoring (owner, deadline)
- [ ] Update runbook (owner, deadline)
- [ ] Add automated tests (owner, deadline)

## Lessons Learned
What went well and what needs improvement
`;

/** Replaces `sample` in `line` with `value` when there is one (a function replacer: titles may hold `$`). */
const fill = (line: string, sample: string, value: string | null): string => (value === null ? line : line.replace(sample, () => value));

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
  let downtime = lasted === null ? null : `${minutes(lasted)}${soFar}`;
  if (incident.falsePositive) downtime = '0 minutes (false positive)';
  const [heading = '', ...rest] = runbookPostmortemTemplate.split('\n');
  const body: string[] = [];
  for (const line of rest.slice(rest[0] === '' ? 1 : 0)) {
    if (line.startsWith('- HH:MM - ')) continue; // the timeline is written from the incident record
    if (line === '## Timeline') body.push(...timelineSection(incident, timeZone));
    else if (line.startsWith('- **Date**:')) body.push(fill(line, 'YYYY-MM-DD', date));
    else if (line.startsWith('- **Duration**:')) body.push(fill(line, 'X hours', lasted === null ? null : `${formatDuration(lasted)}${soFar}`));
    else if (line.startsWith('- **Severity**:')) body.push(fill(line, 'PX', incident.severity));
    else if (line.startsWith('- Downtime:')) body.push(fill(line, 'X minutes', downtime));
    else body.push(line);
  }
  const title = fill(heading.replace(/^#\s+/, ''), '[Date]', date).replace('[Title]', () => incident.title);
  return { title, body: body.join('\n') };
}
