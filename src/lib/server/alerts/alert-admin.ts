// What /admin/alerts shows: each alert group, what it did to its incident, and why nothing was published.
import type { Db } from '../db/connection.ts';
import { timeView } from '../views/present.ts';
import { listGroups } from './alert.repository.ts';

export interface AlertGroupView {
  id: string;
  source: string;
  title: string;
  severity: string;
  components: string;
  state: string;
  incidentId: string | null;
  note: string | null;
  alerts: number;
  firing: number;
  resolveDue: { iso: string; text: string } | null;
  updated: { iso: string; text: string };
  publishable: boolean;
}

export async function alertGroupViews(db: Db, timeZone: string, limit = 200): Promise<AlertGroupView[]> {
  return (await listGroups(db, limit)).map((g) => ({
    id: g.id, source: g.source, title: g.title, severity: g.severity, components: (JSON.parse(g.components) as string[]).join(', ') || 'none',
    state: g.state, incidentId: g.incident_id, note: g.note, alerts: g.alerts, firing: g.firing,
    resolveDue: g.resolve_due_at ? timeView(Date.parse(g.resolve_due_at), timeZone) : null,
    updated: timeView(Date.parse(g.updated_at), timeZone),
    publishable: g.state === 'draft' && g.firing > 0,
  }));
}
