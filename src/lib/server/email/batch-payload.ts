// A stored batch, compactly: each distinct rendered body once, with the recipient's link token cut out, and per
// recipient only the address, the token and the headers. Expanding it gives back exactly the emails first sent,
// byte for byte, so a retry under the same Idempotency-Key sends the same request.
import type { BatchEmail } from './resend-client.ts';

/**
 * Stands where a recipient's (URL-encoded) link token was. NUL never occurs in a rendered email, so every NUL in a
 * packed body is one of these and filling them in gives back the original exactly; an email with a NUL is stored whole.
 */
const SLOT = '\u0000kaizen-link-token\u0000';

interface Body {
  subject: string;
  html: string;
  text: string;
}

interface Item {
  /** Index into `bodies`. */
  b: number;
  from: string;
  to: string[];
  /** The URL-encoded token that fills SLOT. */
  token: string;
  headers: Record<string, string>;
}

/** What email_batch.payload holds: `bodies`/`items`, or (batches stored by earlier versions) `emails` whole. */
export interface StoredPayload {
  rowIds: string[];
  bodies?: Body[];
  items?: Item[];
  emails?: BatchEmail[];
}

const fill = (template: string, token: string): string => template.split(SLOT).join(token);
const cut = (value: string, token: string): string => value.split(token).join(SLOT);

/** Packs a batch; `tokens[i]` is the URL-encoded link token in `emails[i]` (each email's own). */
export function packBatch(rowIds: string[], emails: readonly BatchEmail[], tokens: readonly string[]): StoredPayload {
  const bodies: Body[] = [];
  const index = new Map<string, number>();
  const items: Item[] = [];
  let whole = false;
  emails.forEach((e, i) => {
    const token = tokens[i] ?? '';
    if (token === '' || e.subject.includes('\u0000') || e.html.includes('\u0000') || e.text.includes('\u0000')) {
      whole = true;
      return;
    }
    const body = { subject: cut(e.subject, token), html: cut(e.html, token), text: cut(e.text, token) };
    const key = `${body.subject}\u0001${body.html}\u0001${body.text}`;
    let b = index.get(key);
    if (b === undefined) {
      b = bodies.push(body) - 1;
      index.set(key, b);
    }
    items[i] = { b, from: e.from, to: e.to, token, headers: e.headers };
  });
  if (whole) return { rowIds, emails: [...emails] };
  return { rowIds, bodies, items };
}

/**
 * Packs a batch rendered from templates (batch-render.ts): `templateOf[i]` is the template `emails[i]` was filled
 * from with `tokens[i]`, so each body is the template joined at the slot, with no cutting or comparing of copies.
 */
export function packFromTemplates(
  rowIds: string[], emails: readonly BatchEmail[], tokens: readonly string[],
  templates: readonly { subject: string[]; html: string[]; text: string[] }[], templateOf: readonly number[],
): StoredPayload {
  const nul = (parts: string[]): boolean => parts.some((p) => p.includes('\u0000'));
  if (templates.some((t) => nul(t.subject) || nul(t.html) || nul(t.text)) || tokens.some((t) => t === '')) return packBatch(rowIds, emails, tokens);
  // Only the templates this batch used, renumbered.
  const used = new Map<number, number>();
  const bodies: Body[] = [];
  const items: Item[] = emails.map((e, i) => {
    const n = templateOf[i]!;
    let b = used.get(n);
    if (b === undefined) {
      const t = templates[n]!;
      b = bodies.push({ subject: t.subject.join(SLOT), html: t.html.join(SLOT), text: t.text.join(SLOT) }) - 1;
      used.set(n, b);
    }
    return { b, from: e.from, to: e.to, token: tokens[i]!, headers: e.headers };
  });
  return { rowIds, bodies, items };
}

/** The emails exactly as packed. */
export function unpackBatch(payload: StoredPayload): BatchEmail[] {
  if (payload.emails) return payload.emails;
  const bodies = payload.bodies ?? [];
  return (payload.items ?? []).map((it) => {
    const body = bodies[it.b]!;
    return { from: it.from, to: it.to, subject: fill(body.subject, it.token), html: fill(body.html, it.token), text: fill(body.text, it.token), headers: it.headers };
  });
}
