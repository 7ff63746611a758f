// A batch renders each message once per language: the layout is made with a stand-in for the link token, and each
// recipient's copy is that layout with their own token put in. The stand-in is as long as a token, so text wrapping
// is the same, and only the headers (a Message-ID hashed from the copy) are made per recipient: each copy is byte
// for byte what rendering it for that recipient gives.
import type { Locale } from '../../i18n/locales.ts';
import { randomToken } from '../ids.ts';
import { linksFor, type EmailData } from './email-data.ts';
import { emailHeaders, renderEmail, type RenderedEmail } from './template.ts';

/** Bytes of entropy in an email's link token. */
export const LINK_TOKEN_BYTES = 32;
/** Base32 like a token, so a URL holds it unencoded; random, so no content can hold it by chance. */
const STAND_IN = randomToken(LINK_TOKEN_BYTES);

/** One message in one language: its subject, HTML and text split where the recipient's token goes. */
export interface EmailTemplate {
  subject: string[];
  html: string[];
  text: string[];
}

export interface BatchRenderer {
  /** The copy of `data` for the recipient of `token` in `locale`, and which template it was filled from. */
  copy(messageId: string, data: EmailData, locale: Locale, token: string): { email: RenderedEmail; template: number };
  /** Every template made so far, by number. */
  readonly templates: readonly EmailTemplate[];
}

export function batchRenderer(): BatchRenderer {
  const templates: EmailTemplate[] = [];
  const numberOf = new Map<string, number>();
  return {
    templates,
    copy(messageId, data, locale, token) {
      const key = `${messageId}\u0001${locale}`;
      let n = numberOf.get(key);
      if (n === undefined) {
        const r = renderEmail(data, linksFor(data.baseUrl, STAND_IN), locale);
        n = templates.push({ subject: r.subject.split(STAND_IN), html: r.html.split(STAND_IN), text: r.text.split(STAND_IN) }) - 1;
        numberOf.set(key, n);
      }
      const t = templates[n]!;
      const inserted = encodeURIComponent(token);
      const text = t.text.join(inserted);
      return {
        email: { subject: t.subject.join(inserted), html: t.html.join(inserted), text, headers: emailHeaders(data, linksFor(data.baseUrl, token), text) },
        template: n,
      };
    },
  };
}
