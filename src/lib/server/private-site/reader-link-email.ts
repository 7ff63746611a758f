// The email with a private site's reader link: what it says (pure), in the language of the page it was asked on.
import type { Translator } from '../../i18n/translate.ts';
import type { EmailLinks, ReaderLinkEmailData } from '../email/email-data.ts';
import type { EmailLayout } from '../email/template-html.ts';

/** The link in the email: the email's own token, then the page the reader asked for. */
export function readerLinkUrl(d: ReaderLinkEmailData, links: EmailLinks): string {
  return d.next === '/' ? links.reader : `${links.reader}?next=${encodeURIComponent(d.next)}`;
}

export function readerLinkLayout(d: ReaderLinkEmailData, links: EmailLinks, t: Translator, subject: string): Omit<EmailLayout, 'footer'> {
  return {
    subject,
    preheader: t('private.emailPreheader', { minutes: d.validMinutes }),
    heading: t('private.emailHeading', { site: d.siteName }),
    accent: '#0969da',
    fields: [],
    detailsTitle: null,
    details: [t('private.emailBody', { site: d.siteName, minutes: d.validMinutes }), t('private.emailIgnore')],
    action: { label: t('private.emailAction'), url: readerLinkUrl(d, links) },
    signature: d.signature,
  };
}
