// A Discord webhook message: one embed, within Discord's limits (title 256, description 4096, 6000 in all).
import type { ChannelEvent } from './channel-event.ts';
import { clip } from './text-limits.ts';

export const DISCORD_LIMITS = { embeds: 10, title: 256, description: 4096, fieldName: 256, fieldValue: 1024, fields: 25, total: 6000 } as const;

const colour: Record<string, number> = { P1: 0xd92d20, P2: 0xf79009, P3: 0xfdb022, P4: 0x667085 };

/** The JSON body for a Discord webhook. */
export function discordBody(e: ChannelEvent): Record<string, unknown> {
  const title = clip(`${e.siteName}: ${e.title}`, DISCORD_LIMITS.title);
  const label = [e.severity, e.status].filter(Boolean).join(' · ');
  const fields = e.impact.length > 0 ? [{ name: 'Impact', value: clip(e.impact.join('\n'), DISCORD_LIMITS.fieldValue) }] : [];
  // Everything counted toward the 6000 total: title, description, field names and values, footer.
  const used = [...title].length + fields.reduce((n, f) => n + f.name.length + [...f.value].length, 0) + [...label].length;
  const description = clip(e.message.trim() || title, Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.total - used));
  const embed: Record<string, unknown> = {
    title, description, url: e.url || undefined, color: e.status === 'Resolved' ? 0x12b76a : colour[e.severity ?? ''] ?? 0x2e90fa,
    timestamp: new Date(e.at).toISOString(), fields,
  };
  if (label) embed.footer = { text: label };
  return { content: e.kind === 'confirm' ? `Confirm this subscription: ${e.url}` : undefined, embeds: [embed], allowed_mentions: { parse: [] } };
}
