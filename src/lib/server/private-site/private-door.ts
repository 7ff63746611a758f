// The private page's work (src/pages/private.astro): read the form, ask for a link, choose the answer.
import { z } from 'astro/zod';
import { DatabaseUnavailableError } from '../db/db-errors.ts';
import { emailContext } from '../email/notifications.ts';
import { database } from '../status-data/runtime.ts';
import type { Translate } from '../../i18n/translate.ts';
import type { Locale } from '../../i18n/locales.ts';
import type { Site } from '../../status/types.ts';
import { fieldLimits } from '../../status/field-limits.ts';
import { isPrivateSite, READER_LINK_LIFETIME_MS, safeReaderNext } from '../../status/private-site.ts';
import { requestReaderLink } from './reader-link.ts';

export type Door =
  | { kind: 'not_private'; status: 404; retryAfter?: undefined; next: string }
  | { kind: 'form'; status: 200 | 400 | 429 | 503; retryAfter?: number; next: string; email: string; error: string | null; alert: string | null }
  | { kind: 'sent'; status: 200; retryAfter?: undefined; next: string; minutes: number };

const emailField = z.email();

/** What the private page shows for this request (a GET shows the form; a POST asks for a link). */
export async function privateDoor(
  site: Site, r: { form: FormData | null; next: string | null; ip: string; locale: Locale; t: Translate },
): Promise<Door> {
  const next = safeReaderNext(r.form ? String(r.form.get('next') ?? '') : r.next);
  if (!isPrivateSite(site)) return { kind: 'not_private', status: 404, next };
  if (!r.form) return { kind: 'form', status: 200, next, email: '', error: null, alert: null };
  const email = String(r.form.get('email') ?? '').trim();
  if (email.length > fieldLimits.subscriberEmail || !emailField.safeParse(email).success) {
    return { kind: 'form', status: 400, next, email, error: r.t('private.errorEmail'), alert: null };
  }
  try {
    const db = await database();
    const asked = await requestReaderLink(db, emailContext({ site, components: [] }), { email, ip: r.ip, next, locale: r.locale }, site.privateAccess?.allowedDomains ?? [], Date.now());
    if (!asked.ok) return { kind: 'form', status: 429, retryAfter: asked.retryAfterSeconds, next, email, error: null, alert: r.t('private.throttled') };
  } catch (e) {
    if (!(e instanceof DatabaseUnavailableError)) throw e;
    return { kind: 'form', status: 503, retryAfter: 60, next, email, error: null, alert: r.t('private.unavailable') };
  }
  return { kind: 'sent', status: 200, next, minutes: READER_LINK_LIFETIME_MS / 60_000 };
}
