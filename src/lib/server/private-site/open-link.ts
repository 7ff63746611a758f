// The reader link page's work (src/pages/private/open/[token].astro): is the link good, and opening it.
import { DatabaseUnavailableError } from '../db/db-errors.ts';
import { database } from '../status-data/runtime.ts';
import type { Site } from '../../status/types.ts';
import { isPrivateSite, mayReceiveLink, READER_LINK_LIFETIME_MS, READER_PASS_LIFETIME_MS, safeReaderNext } from '../../status/private-site.ts';
import { openReaderLink, peekReaderLink } from './reader-link.ts';

export type OpenLinkPage =
  | { kind: 'not_private'; status: 404 }
  | { kind: 'valid'; status: 200; next: string; days: number }
  | { kind: 'invalid'; status: 400 | 503; next: string; minutes: number }
  | { kind: 'opened'; next: string; pass: { token: string; expiresAt: number } };

/** GET (`open` false) says whether the link works; POST uses it. */
export async function openLinkPage(site: Site, token: string, nextInput: string | null, open: boolean): Promise<OpenLinkPage> {
  if (!isPrivateSite(site)) return { kind: 'not_private', status: 404 };
  const next = safeReaderNext(nextInput);
  const allowed = site.privateAccess?.allowedDomains ?? [];
  const invalid = (status: 400 | 503 = 400): OpenLinkPage => ({ kind: 'invalid', status, next, minutes: READER_LINK_LIFETIME_MS / 60_000 });
  if (!/^[a-z2-7]{16,128}$/.test(token)) return invalid();
  try {
    const db = await database();
    const now = Date.now();
    if (!open) {
      const link = await peekReaderLink(db, token, now);
      return link && mayReceiveLink(link.email, allowed) ? { kind: 'valid', status: 200, next, days: READER_PASS_LIFETIME_MS / 86_400_000 } : invalid();
    }
    const pass = await openReaderLink(db, token, allowed, now);
    return pass ? { kind: 'opened', next, pass } : invalid();
  } catch (e) {
    if (e instanceof DatabaseUnavailableError) return invalid(503);
    throw e;
  }
}
