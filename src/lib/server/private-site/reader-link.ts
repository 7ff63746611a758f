// Links by email for a private site's readers: asked for on the private page, sent through the outbox, opened once
// within 15 minutes. The link is the email's own link token (made when its batch is prepared, only its hash kept on
// the outbox row), so the database never holds it; whether an address may read is never told to the asker.
import type { Db } from '../db/connection.ts';
import { hashToken, newId } from '../ids.ts';
import { emailCommon, type SiteForEmail } from '../email/compose.ts';
import type { ReaderLinkEmailData } from '../email/email-data.ts';
import { emailSubject } from '../email/template.ts';
import type { Locale } from '../../i18n/locales.ts';
import {
  mayReceiveLink, READER_LINK_LIFETIME_MS, READER_LINK_WINDOW_MS, readerLinkWait, safeReaderNext,
} from '../../status/private-site.ts';
import { createReaderPass } from './reader-pass.ts';

const iso = (t: number): string => new Date(t).toISOString();

export type LinkRequest = { ok: true } | { ok: false; retryAfterSeconds: number };

async function recentTimes(db: Db, column: 'email' | 'ip', value: string, now: number): Promise<number[]> {
  const rows = await db.selectFrom('reader_link_attempt').select('at').where(column, '=', value).where('at', '>', iso(now - READER_LINK_WINDOW_MS)).execute();
  return rows.map((r) => Date.parse(r.at));
}

/**
 * Asks for a link for `email`: every request counts against its address and client address, allowed or not, so the
 * answer (ok, or wait) is the same for every address; only an address in `allowedDomains` is emailed.
 */
export async function requestReaderLink(
  db: Db, ctx: SiteForEmail, input: { email: string; ip: string; next: string; locale: Locale }, allowedDomains: readonly string[], now: number,
): Promise<LinkRequest> {
  const email = input.email.trim().toLowerCase();
  const wait = readerLinkWait(await recentTimes(db, 'email', email, now), await recentTimes(db, 'ip', input.ip, now), now);
  if (wait > 0) return { ok: false, retryAfterSeconds: wait };
  await db.deleteFrom('reader_link_attempt').where('at', '<', iso(now - 2 * READER_LINK_WINDOW_MS)).execute();
  await db.insertInto('reader_link_attempt').values({ id: newId(), email, ip: input.ip, at: iso(now) }).execute();
  if (!mayReceiveLink(email, allowedDomains)) return { ok: true };
  const data: ReaderLinkEmailData = {
    kind: 'reader_link', ...emailCommon(ctx), next: safeReaderNext(input.next), locale: input.locale, validMinutes: READER_LINK_LIFETIME_MS / 60_000,
  };
  const stamp = iso(now);
  await db.transaction().execute(async (trx) => {
    const messageId = newId();
    await trx.insertInto('email_message').values({ id: messageId, kind: data.kind, subject: emailSubject(data), data: JSON.stringify(data), created_at: stamp }).execute();
    await trx.insertInto('email_outbox').values({
      id: newId(), message_id: messageId, subscriber_id: null, to_address: email, state: 'queued', reason: null,
      batch_id: null, link_token_hash: null, provider_id: null, created_at: stamp, updated_at: stamp, sent_at: null,
    }).execute();
  });
  return { ok: true };
}

/** The link's address and page if it is a reader link asked for within 15 minutes and not yet used, without using it. */
export async function peekReaderLink(db: Db, token: string, now: number): Promise<{ email: string; linkHash: string } | null> {
  const linkHash = hashToken(token);
  const row = await db
    .selectFrom('email_outbox as o')
    .innerJoin('email_message as m', 'm.id', 'o.message_id')
    .select(['o.to_address', 'o.created_at'])
    .where('o.link_token_hash', '=', linkHash)
    .where('m.kind', '=', 'reader_link')
    .executeTakeFirst();
  if (!row || Date.parse(row.created_at) <= now - READER_LINK_LIFETIME_MS) return null;
  const used = await db.selectFrom('reader_pass').select('id').where('link_hash', '=', linkHash).executeTakeFirst();
  return used ? null : { email: row.to_address, linkHash };
}

/** Opens a link: a new reader pass for its address, or null when the link is unknown, expired, used or no longer allowed. */
export async function openReaderLink(db: Db, token: string, allowedDomains: readonly string[], now: number): Promise<{ token: string; expiresAt: number } | null> {
  const link = await peekReaderLink(db, token, now);
  if (!link || !mayReceiveLink(link.email, allowedDomains)) return null;
  // The unique link_hash makes this the one pass of the link, whoever opens it at the same moment.
  return createReaderPass(db, link.email, link.linkHash, now);
}
