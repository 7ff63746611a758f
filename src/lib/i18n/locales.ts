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
