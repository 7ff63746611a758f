// Emails queued (or kept for preview) by an earlier version: their stored data brought to today's shape.
import type { EmailData, RenderedText } from './email-data.ts';
import { escapeHtml } from './template-html.ts';

type Loose = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Plain text as the earlier emails showed it: escaped paragraphs, line breaks kept. */
function plain(text: string): RenderedText {
  const paragraphs = text.trim().split(/\n\s*\n/).filter((p) => p.trim() !== '');
  return { html: paragraphs.map((p) => `<p class="k-text">${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`).join('\n'), text: text.trim() };
}

/**
 * Today's shape of stored email data. Data written by this version passes unchanged; older incident,
 * maintenance and post-mortem emails (plain text, no threading) get the fields added since, from what they hold.
 */
export function currentEmailData(data: EmailData): EmailData {
  const d = data as unknown as Loose;
  if (data.kind === 'incident' && !Array.isArray(d.updates)) {
    const resolved = d.status === 'Resolved';
    return {
      ...data,
      statusLabel: str(d.status),
      eta: resolved ? null : str(d.eta) || 'Unknown',
      resolution: resolved ? `Resolved at ${str(d.postedAt)}` : null,
      updates: [{ heading: '', body: plain(str(d.message)) }],
      posted: `Posted ${str(d.postedAt)}`,
      duration: null,
      nextUpdate: typeof d.nextUpdate === 'string' ? d.nextUpdate : null,
      thread: null,
    };
  }
  if (data.kind === 'maintenance' && d.body === undefined) return { ...data, body: plain(str(d.message)), thread: null };
  if (data.kind === 'postmortem' && d.excerpt === undefined) return { ...data, excerpt: plain(str(d.summary)), thread: null };
  return data;
}
