// A Microsoft Teams workflow-webhook message: an Adaptive Card 1.4 inside an attachments message.
import type { ChannelEvent } from './channel-event.ts';
import { clip } from './text-limits.ts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** The JSON body for a Teams workflow webhook. */
export function teamsBody(e: ChannelEvent): Record<string, unknown> {
  const label = [e.severity, e.status].filter(Boolean).join(' · ');
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true, text: clip(`${e.siteName}: ${e.title}`, 500) },
  ];
  if (label) body.push({ type: 'TextBlock', isSubtle: true, spacing: 'None', text: label });
  if (e.message.trim()) body.push({ type: 'TextBlock', wrap: true, text: clip(e.message, 5000) });
  if (e.impact.length > 0) body.push({ type: 'FactSet', facts: e.impact.slice(0, 30).map((i) => { const [t, ...v] = i.split(': '); return { title: t ?? i, value: v.join(': ') || '—' }; }) });
  const card = {
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.4', body,
    actions: e.url ? [{ type: 'Action.OpenUrl', title: e.kind === 'confirm' ? 'Confirm subscription' : 'View on the status page', url: e.url }] : [],
  };
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card }] };
}
