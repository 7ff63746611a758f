// The generic webhook body, shaped like Statuspage's webhook notifications (meta, page, then incident or component_update).
import type { ChannelEvent } from './channel-event.ts';

const impactBySeverity: Record<string, string> = { P1: 'critical', P2: 'major', P3: 'minor', P4: 'none' };
const incidentStatus: Record<string, string> = { Investigating: 'investigating', Mitigating: 'identified', Resolved: 'resolved', scheduled: 'scheduled', in_progress: 'in_progress' };

export interface WebhookBodyOptions {
  subscriberId: string;
  /** Where the subscriber is removed (admin) or unsubscribes. */
  unsubscribeUrl: string;
}

/** The JSON body for a webhook subscriber. */
export function webhookBody(e: ChannelEvent, o: WebhookBodyOptions): Record<string, unknown> {
  const at = new Date(e.at).toISOString();
  const resolved = e.status === 'Resolved';
  const body: Record<string, unknown> = {
    meta: { unsubscribe: o.unsubscribeUrl, documentation: `${e.baseUrl}/subscribe`, generated_at: at },
    page: {
      id: e.siteName, status_indicator: resolved ? 'none' : impactBySeverity[e.severity ?? ''] ?? 'minor',
      status_description: resolved ? 'All Systems Operational' : e.title, url: e.baseUrl,
    },
  };
  if (e.kind === 'confirm') {
    body.subscription = { id: o.subscriberId, confirm_url: e.url, message: e.message };
    return body;
  }
  const change = e.kind === 'component' ? e.componentChanges?.[0] : undefined;
  if (change) {
    body.component_update = { id: e.key, component_id: change.id, created_at: at, old_status: change.oldStatus, new_status: change.newStatus };
    body.component = { id: change.id, name: change.name, status: change.newStatus, created_at: at };
    return body;
  }
  body.incident = {
    id: e.key, name: e.title, status: incidentStatus[e.status ?? ''] ?? (e.kind === 'postmortem' ? 'postmortem' : 'investigating'),
    impact: impactBySeverity[e.severity ?? ''] ?? 'maintenance', shortlink: e.url, created_at: at, updated_at: at,
    resolved_at: resolved ? at : null, components: e.componentIds.map((id) => ({ id })),
    incident_updates: [{ id: `${e.key}:update`, body: e.message, status: incidentStatus[e.status ?? ''] ?? 'update', created_at: at, updated_at: at, display_at: at }],
  };
  return body;
}
