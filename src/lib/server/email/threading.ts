// Message-ID, In-Reply-To and References, so every email about one incident (or maintenance) shows as one thread.
import { createHash } from 'node:crypto';

/** Where an email sits in its thread; stored with the email's data. */
export interface EmailThread {
  /** `<incident-<id>@<site host>>`: derived from the id and host alone, so every instance, before and after a restart, agrees. */
  root: string;
  /** This email opens the thread: its Message-ID is the root itself (the same for each recipient's copy). */
  opens: boolean;
}

/** An id as the left part of a Message-ID (RFC 5322 dot-atom): anything beyond letters, digits and dashes is hex-escaped. */
function atom(id: string): string {
  return [...new TextEncoder().encode(id)]
    .map((b) => (/[A-Za-z0-9-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** The site's host name, for the right part of every Message-ID. */
function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/** The root Message-ID of the thread of one incident or maintenance window on this site. */
export function threadRoot(kind: 'incident' | 'maintenance', id: string, baseUrl: string): string {
  return `<${kind}-${atom(id)}@${hostOf(baseUrl)}>`;
}

/**
 * The threading headers of one email. An email opening the thread takes the root as its Message-ID; every other
 * one gets its own (from `seed`, unique per recipient's copy) and points at the root with In-Reply-To and
 * References, which still thread the emails if the provider replaces Message-IDs.
 */
export function threadHeaders(thread: EmailThread, seed: string): Record<string, string> {
  if (thread.opens) return { 'Message-ID': thread.root };
  const [, local = 'status', host = 'localhost'] = /^<([^@>]+)@([^>]+)>$/.exec(thread.root) ?? [];
  const unique = createHash('sha256').update(`kaizen-status/message-id\n${seed}`).digest('hex').slice(0, 24);
  return { 'Message-ID': `<${local}.${unique}@${host}>`, 'In-Reply-To': thread.root, References: thread.root };
}
