// Before a post-mortem is published: who will be emailed (or why nobody will), asked once and confirmed.
import { createHash } from 'node:crypto';
import { formatDateTime } from '../../status/format.ts';
import type { Incident } from '../../status/types.ts';
import type { Db } from '../db/connection.ts';
import { countRecipients } from '../email/outbox.ts';
import { affectedComponentIds, notificationKey } from '../email/recipients.ts';
import { env } from '../env.ts';
import type { StatusModel } from '../status-data/status-model.ts';

export interface PublishConfirmation {
  /** How many subscribers the confirming post emails (0 when none will be). */
  recipients: number;
  /** "Publish and email 1,234 subscribers?" */
  question: string;
  /** The confirming button's label. */
  button: string;
  /** Who they are, or why nobody will be emailed; what happens to the emails. */
  details: string[];
  /** formDigest of the text this was shown for. */
  digest: string;
}

/** When a post-mortem was emailed and to how many subscribers (its ledger entry), or null if never. */
export async function postmortemEmailed(db: Db, postmortemId: string): Promise<{ at: number; recipients: number } | null> {
  const row = await db.selectFrom('email_notification').select(['recipients', 'created_at'])
    .where('key', '=', notificationKey.postmortem(postmortemId)).executeTakeFirst();
  return row ? { at: Date.parse(String(row.created_at)), recipients: Number(row.recipients) } : null;
}

/** A fingerprint of the title and body a confirmation was shown for, so a changed text is confirmed again. */
export function formDigest(form: { title: string; body: string }): string {
  return createHash('sha256').update(`${form.title}\u0000${form.body}`).digest('base64url');
}

const count = (n: number): string => new Intl.NumberFormat('en-US').format(n);
const subscribers = (n: number): string => `${count(n)} ${n === 1 ? 'subscriber' : 'subscribers'}`;

/** "Public API and Dashboard" for the incident's components, in the page's order. */
function componentNames(model: StatusModel, incident: Incident): string {
  const ids = new Set(affectedComponentIds(incident));
  const names = model.components.filter((c) => ids.has(c.id)).map((c) => c.name);
  if (names.length <= 1) return names[0] ?? 'no component';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The question asked before publishing an admin post-mortem of `incident`, with the count `countRecipients` gives. */
export async function publishConfirmation(db: Db, model: StatusModel, incident: Incident, form: { title: string; body: string }): Promise<PublishConfirmation> {
  const digest = formDigest(form);
  const emailed = await postmortemEmailed(db, incident.id);
  if (emailed) {
    const when = formatDateTime(emailed.at, model.site.timezone);
    return {
      recipients: 0, digest, question: 'Publish without emailing anyone?', button: 'Publish',
      details: [`This post-mortem was already emailed on ${when} (to ${subscribers(emailed.recipients)}); it is emailed once, so publishing it again sends nothing.`],
    };
  }
  const recipients = await countRecipients(db, affectedComponentIds(incident));
  if (recipients === 0) {
    return {
      recipients, digest, question: 'Publish without emailing anyone?', button: 'Publish',
      details: [`No confirmed subscriber follows ${componentNames(model, incident)} or every component, so no email will be sent.`],
    };
  }
  const details = [
    `Each confirmed subscriber of ${componentNames(model, incident)}, and each one who follows every component, gets one email about it.`,
    'Publishing it again later sends nothing more.',
  ];
  if (!env().RESEND_API_KEY) details.push('This server has no RESEND_API_KEY: the emails will wait in the outbox, visible under Emails, until one is set.');
  return { recipients, digest, question: `Publish and email ${subscribers(recipients)}?`, button: `Publish and email ${subscribers(recipients)}`, details };
}
