// Which components an incident update changed, old and new status: the webhook's component_update messages.
import type { IncidentForEmail } from '../email/compose.ts';
import { statusesAt } from '../email/compose.ts';
import type { IncidentUpdate } from '../../status/types.ts';

export interface ComponentChange {
  id: string;
  name: string;
  oldStatus: string;
  newStatus: string;
}

/** Changes from the update before `first` (else all operational) to `update`; resolved puts every component back to operational. */
export function componentChanges(incident: IncidentForEmail, first: IncidentUpdate, update: IncidentUpdate, names: ReadonlyMap<string, string>): ComponentChange[] {
  const before = [...incident.updates].filter((u) => u.at < first.at && u.id !== first.id).sort((a, b) => b.at - a.at)[0];
  const old: Record<string, string> = before ? (before.status === 'resolved' ? {} : statusesAt(incident, before)) : {};
  const now: Record<string, string> = update.status === 'resolved'
    ? Object.fromEntries(Object.keys(statusesAt(incident, update)).map((id) => [id, 'operational']))
    : statusesAt(incident, update);
  return Object.entries(now)
    .filter(([id, s]) => (old[id] ?? 'operational') !== s)
    .map(([id, s]) => ({ id, name: names.get(id) ?? id, oldStatus: old[id] ?? 'operational', newStatus: s }));
}
