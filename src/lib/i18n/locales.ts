// The languages the interface ships in; a site picks its own in site.yaml `languages` (first is the default).

export const locales = ['en', 'de', 'fr', 'es', 'pt', 'ja'] as const;
export type Locale = (typeof locales)[number];

export const defaultLocale: Locale = 'en';

/** The BCP 47 tag Intl formats dates and numbers with for each interface language. */
export const intlTags: Record<Locale, string> = {
  en: 'en-GB',
  de: 'de-DE',
  fr: 'fr-FR',
  es: 'es-ES',
  pt: 'pt-PT',
  ja: 'ja-JP',
};

/** The language's own name, for the language switch. */
export const localeNames: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  pt: 'Português',
  ja: '日本語',
};

/** True when the string names an interface language. */
export function isLocale(value: string): value is Locale {
  return (locales as readonly string[]).includes(value);
}

/**
 * The address of an unprefixed path in a language: the site's default language has no prefix ('/history'),
 * the others do ('/de/history'; the home page is '/de/').
 */
export function localePath(locale: Locale, path: string, defaultLanguage: Locale = defaultLocale): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  if (locale === defaultLanguage) return p;
  return p === '/' ? `/${locale}/` : `/${locale}${p}`;
}

/**
 * Splits a request path into its language prefix and the path of the page under it: '/de/history' is de and
 * '/history', '/de' and '/de/' are de and '/'. Null when the first segment is not a shipped language.
 */
export function splitLocalePrefix(path: string): { locale: Locale; rest: string } | null {
  const m = /^\/([a-z]{2})(\/.*)?$/.exec(path);
  if (!m || !isLocale(m[1]!)) return null;
  return { locale: m[1] as Locale, rest: m[2] && m[2] !== '' ? m[2] : '/' };
}

/** site.yaml `languages` as given, in order, each once; `[en]` without it. */
export function siteLanguages(languages: readonly Locale[] | undefined): Locale[] {
  const out = [...new Set(languages ?? [])];
  return out.length > 0 ? out : [defaultLocale];
}

/** What a page knows of its request's language (Astro.locals): the locale and the site's languages. */
export interface RequestLanguage {
  locale: Locale;
  languages?: readonly Locale[];
}

/** A link from a page to another page in the same language: hrefIn(Astro.locals, '/history'). */
export function hrefIn(request: RequestLanguage, path: string): string {
  return localePath(request.locale, path, request.languages?.[0] ?? defaultLocale);
}

/**
 * A personal page (unsubscribe, manage, confirm) reached without a language prefix speaks the subscriber's
 * language when the site still serves it; a prefixed address keeps its own.
 */
export function personalLocale(request: RequestLanguage, stored: Locale | null): Locale {
  const languages = request.languages ?? [defaultLocale];
  if (request.locale !== languages[0] || stored === null || !languages.includes(stored)) return request.locale;
  return stored;
}
