// A Slack incoming-webhook message in Block Kit: a header, the update, the impact, a link. Within Slack's limits.
import type { ChannelEvent } from './channel-event.ts';
import { clip } from './text-limits.ts';

export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, headerText: 150, fallbackText: 3000 } as const;

/** The JSON body for a Slack incoming webhook. */
export function slackBody(e: ChannelEvent): Record<string, unknown> {
  const label = [e.severity, e.status].filter(Boolean).join(' · ');
  const heading = clip(`${e.siteName}: ${e.title}`, SLACK_LIMITS.headerText);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: heading, emoji: true } },
  ];
  if (label) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(label, SLACK_LIMITS.sectionText) }] });
  if (e.message.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(e.message, SLACK_LIMITS.sectionText) } });
  if (e.impact.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(e.impact.map((i) => `• ${i}`).join('\n'), SLACK_LIMITS.sectionText) } });
  if (e.url) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: e.kind === 'confirm' ? 'Confirm subscription' : 'View on the status page' }, url: e.url }] });
  return { text: clip(`${heading}${label ? ` (${label})` : ''}`, SLACK_LIMITS.fallbackText), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
