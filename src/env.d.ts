/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    user: import('./lib/server/auth/session.ts').SessionUser | null;
    session: import('./lib/server/auth/session.ts').Session | null;
    /** A private site's reader (an emailed link opened in this browser); null otherwise or when signed in. */
    reader: { email: string } | null;
    /** The client's address by TRUST_PROXY (src/lib/server/http/client-address.ts); never Astro.clientAddress. */
    clientAddress: string;
    /** The interface language of this request (src/lib/i18n). */
    locale: import('./lib/i18n/locales.ts').Locale;
    /** site.yaml `languages`: the first is served at '/', the others under their prefix. */
    languages: import('./lib/i18n/locales.ts').Locale[];
  }
}
