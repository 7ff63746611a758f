// Renders every email the site sends, HTML and plain text, following the runbook's stakeholder template.
import { singleLine } from '../../status/field-limits.ts';
import { maintenanceStatusLabel, type Severity } from '../../status/vocabulary.ts';
import type { ConfirmationEmailData, EmailData, EmailLinks, IncidentEmailData, MaintenanceEmailData, PostmortemEmailData } from './email-data.ts';
import { reminderLayout, reminderSubject } from './reminder-email.ts';
import { inviteLayout, inviteSubject } from './invite-email.ts';
import { readerLinkLayout } from '../private-site/reader-link-email.ts';
import { currentEmailData } from './stored-data.ts';
import { layoutHtml, layoutText, metaBlock, subheadingBlock, type EmailBlock, type EmailLayout } from './template-html.ts';
import { threadHeaders } from './threading.ts';
import type { Locale } from '../../i18n/locales.ts';
import { translator, type Translator } from '../../i18n/translate.ts';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** RFC 8058 one-click unsubscribe headers, and the threading headers (Message-ID, In-Reply-To, References). */
  headers: Record<string, string>;
}

const severityColour: Record<Severity, string> = { P0: '#cf222e', P1: '#bc4c00', P2: '#9a6700', P3: '#59636e' };
const resolvedColour = '#1f883d';

/** The subject line alone (stored with the message for admin lists); one per incident, so threads never merge. */
export function emailSubject(data: EmailData): string {
  // Whatever the titles hold, a subject is one header line.
  return singleLine(subjectText(data));
}

function subjectText(data: EmailData): string {
  switch (data.kind) {
    case 'incident':
      // The runbook's "Subject: [P0/P1] Production Incident - Kaizen AI", with the incident's severity, then its title.
      return `[${data.severity}] Production Incident - ${data.siteName}: ${data.title}`;
    case 'maintenance':
      // One subject for both phases, so the start joins the announcement's thread.
      return `Scheduled maintenance - ${data.siteName}: ${data.title}`;
    case 'postmortem':
      return `[${data.severity}] Post-mortem published - ${data.siteName}: ${data.incidentTitle}`;
    case 'confirmation':
      return `Confirm your subscription - ${data.siteName}`;
    case 'already_subscribed':
      return `Your subscription - ${data.siteName}`;
    case 'reminder':
      return reminderSubject(data);
    case 'invite':
      return inviteSubject(data);
    case 'reader_link':
      return `Your link to the ${data.siteName} status page`;
  }
}

function footer(data: EmailData, links: EmailLinks, t: Translator): EmailLayout['footer'] {
  if (data.kind === 'reminder') return { reason: `Runbook reminder for the ${data.siteName} status page admins.`, manage: null, unsubscribe: null };
  if (data.kind === 'invite') return { reason: `An admin of the ${data.siteName} status page invited this address.`, manage: null, unsubscribe: null };
  if (data.kind === 'reader_link') return { reason: t('private.emailReason', { site: data.siteName }), manage: null, unsubscribe: null };
  const pending = data.kind === 'confirmation';
  return {
    reason: pending
      ? t('email.reasonPending', { site: data.siteName })
      : t('email.reasonSubscribed', { site: data.siteName }),
    manage: links.manage,
    unsubscribe: links.unsubscribe,
  };
}

/** Text the HTML part shows elsewhere (the heading): only the plain-text part repeats it. */
const textOnly = (text: string): EmailBlock => ({ html: '', text });

/** The subject in the reader's language; English is emailSubject's (what the admin lists store). */
function localSubject(d: EmailData, t: Translator): string {
  if (d.kind === 'reader_link') return singleLine(t('private.emailSubject', { site: d.siteName }));
  if (t.locale === 'en' || d.kind === 'reminder' || d.kind === 'invite') return emailSubject(d);
  const text = d.kind === 'incident' ? t('email.incidentSubject', { severity: d.severity, site: d.siteName, title: d.title })
    : d.kind === 'maintenance' ? t('email.maintenanceSubject', { site: d.siteName, title: d.title })
    : d.kind === 'postmortem' ? t('email.postmortemSubject', { severity: d.severity, site: d.siteName, title: d.incidentTitle })
    : d.kind === 'confirmation' ? t('email.confirmSubject', { site: d.siteName })
    : t('email.alreadySubject', { site: d.siteName });
  return singleLine(text);
}

/** The incident's words in the reader's language when the email carries them (composed for the site's languages). */
function inLanguage(d: IncidentEmailData, locale: Locale): IncidentEmailData {
  const w = locale === 'en' ? undefined : d.localized?.[locale];
  if (!w || w.headings.length !== d.updates.length) return d;
  const { headings, ...words } = w;
  return { ...d, ...words, updates: d.updates.map((u, i) => ({ ...u, heading: headings[i]! })) };
}

function incidentLayout(d: IncidentEmailData, t: Translator): Omit<EmailLayout, 'footer'> {
  const several = d.updates.length > 1;
  const details: (string | EmailBlock)[] = [textOnly(d.title)];
  for (const u of d.updates) {
    if (several) details.push(subheadingBlock(u.heading));
    details.push(u.body);
  }
  const meta = [d.posted, d.duration, d.nextUpdate ? t('email.nextUpdateBy', { time: d.nextUpdate }) : null].filter((l): l is string => l !== null);
  details.push(metaBlock(meta));
  // "Mitigating — cause identified: <title>", "Resolved — <title>".
  const lead = d.statusLabel.includes(' — ') ? `${d.statusLabel}: ${d.title}` : `${d.statusLabel} — ${d.title}`;
  return {
    subject: localSubject(d, t),
    preheader: d.nextUpdate ? `${lead}. ${t('email.nextUpdateBy', { time: d.nextUpdate })}.` : lead,
    heading: d.title,
    accent: d.status === 'Resolved' ? resolvedColour : severityColour[d.severity],
    badge: d.statusLabel,
    fields: [
      [t('email.severity'), d.severity],
      [t('email.status'), d.statusLabel],
      [t('email.impact'), d.impact.length > 0 ? d.impact.join('\n') : t('email.noComponent')],
      // Once resolved the resolution takes the ETA's place: never "ETA: Resolved".
      d.resolution !== null ? ['', d.resolution] : [t('email.eta'), d.eta ?? t('email.etaUnknown')],
    ],
    detailsTitle: t('email.details'),
    details,
    action: { label: t('email.incidentPage'), url: d.url },
    signature: d.signature,
  };
}

function maintenanceLayout(d: MaintenanceEmailData, t: Translator): Omit<EmailLayout, 'footer'> {
  const status = maintenanceStatusLabel(d.phase === 'started' ? 'in_progress' : 'scheduled', t.locale);
  const window = (t.locale === 'en' ? undefined : d.localizedWindow?.[t.locale]) ?? d.window;
  return {
    subject: localSubject(d, t),
    preheader: `${status} — ${d.title}, ${window}`,
    heading: d.title,
    accent: '#0969da',
    badge: t.locale === 'en' ? `Maintenance ${status.toLowerCase()}` : t('email.maintenanceBadge', { status }),
    fields: [
      [t('email.maintenance'), status],
      [t('email.windowLabel'), window],
      [t('email.components'), d.components.length > 0 ? d.components.join(', ') : t('email.noneListed')],
    ],
    detailsTitle: t('email.details'),
    details: [textOnly(d.title), d.body],
    action: { label: t('email.maintenancePage'), url: d.url },
    signature: d.signature,
  };
}

function postmortemLayout(d: PostmortemEmailData, t: Translator): Omit<EmailLayout, 'footer'> {
  return {
    subject: localSubject(d, t),
    preheader: `${t('email.pmPublished')} — ${d.incidentTitle}`,
    heading: t('email.pmHeading', { title: d.incidentTitle }),
    accent: severityColour[d.severity],
    badge: t('email.pmPublished'),
    fields: [[t('email.severity'), d.severity], [t('email.status'), t('stakeholder.resolved')], [t('email.incident'), d.incidentTitle]],
    detailsTitle: null,
    details: [
      textOnly(d.title),
      t('email.pmIsPublished'),
      d.excerpt,
      t('email.pmCovers'),
    ],
    action: { label: t('email.pmRead'), url: d.url },
    signature: d.signature,
  };
}

function confirmationLayout(d: ConfirmationEmailData, links: EmailLinks, t: Translator): Omit<EmailLayout, 'footer'> {
  const what = d.components === null ? t('email.everyComponent') : d.components.join(', ');
  if (d.kind === 'already_subscribed') {
    return {
      subject: localSubject(d, t), preheader: t('email.alreadyPreheader'), heading: t('email.alreadyHeading'), accent: '#1f883d',
      fields: [], detailsTitle: null,
      details: [t('email.alreadyBody', { site: d.siteName, what }), t('email.alreadyManage')],
      action: { label: t('email.manage'), url: links.manage },
      signature: d.signature,
    };
  }
  return {
    subject: localSubject(d, t), preheader: t('email.confirmPreheader'), heading: t('email.confirmHeading'), accent: '#0969da',
    fields: [], detailsTitle: null,
    details: [t('email.confirmBody', { site: d.siteName, what }), t('email.confirmValidity')],
    action: { label: t('email.confirmAction'), url: links.confirm },
    signature: d.signature,
  };
}

/** Header values with no line breaks in them, whatever reached them. */
function oneLineHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, singleLine(v)]));
}

/**
 * Renders one email for one recipient: subject, HTML, plain text, the List-Unsubscribe and threading headers.
 * `locale`: the subscriber's language (the page they subscribed on) for the fixed words; English by default.
 */
export function renderEmail(stored: EmailData, links: EmailLinks, locale: Locale = 'en'): RenderedEmail {
  const data = currentEmailData(stored);
  const t = translator(data.kind === 'reminder' || data.kind === 'invite' ? 'en' : data.kind === 'reader_link' ? data.locale : locale);
  const body =
    data.kind === 'incident' ? incidentLayout(inLanguage(data, t.locale), t)
    : data.kind === 'maintenance' ? maintenanceLayout(data, t)
    : data.kind === 'postmortem' ? postmortemLayout(data, t)
    : data.kind === 'reminder' ? reminderLayout(data)
    : data.kind === 'invite' ? inviteLayout(data)
    : data.kind === 'reader_link' ? readerLinkLayout(data, links, t, localSubject(data, t))
    : confirmationLayout(data, links, t);
  const layout: EmailLayout = {
    ...body,
    locale: t.locale,
    footer: footer(data, links, t),
    brand: { name: data.siteName, logoUrl: data.logoUrl ?? null, url: data.baseUrl },
  };
  const text = layoutText(layout);
  return { subject: singleLine(layout.subject), html: layoutHtml(layout), text, headers: emailHeaders(stored, links, text) };
}

/** The headers of one recipient's copy, whose plain text is `text` (renderEmail's, or the same filled in for them). */
export function emailHeaders(stored: EmailData, links: EmailLinks, text: string): Record<string, string> {
  const data = currentEmailData(stored);
  // A reminder goes to an admin account, not a list subscription: it is turned off in admin, not unsubscribed.
  if (data.kind === 'reminder' || data.kind === 'invite' || data.kind === 'reader_link') return {};
  const thread = 'thread' in data ? data.thread : null;
  return oneLineHeaders({
    // The recipient's own link token and the text make each copy's Message-ID unique (only a hash of them shows).
    ...(thread ? threadHeaders(thread, `${links.unsubscribe}\n${text}`) : {}),
    'List-Unsubscribe': `<${links.unsubscribe}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  });
}
