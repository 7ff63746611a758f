// Interface strings by key from the reader's language catalog, with {placeholders} filled and plurals chosen.
import { de } from './catalogs/de.ts';
import { en, type Catalog, type MessageKey } from './catalogs/en.ts';
import { es } from './catalogs/es.ts';
import { fr } from './catalogs/fr.ts';
import { ja } from './catalogs/ja.ts';
import { pt } from './catalogs/pt.ts';
import { intlTags, type Locale } from './locales.ts';

export const catalogs: Record<Locale, Catalog> = { en, de, fr, es, pt, ja };

export type Vars = Record<string, string | number>;
/** A bound translator: t('nav.status'), t('uptime.days', { count: 90 }). */
export type Translate = (key: MessageKey, vars?: Vars) => string;

/** The plural key families: 'x' when both 'x.one' and 'x.other' exist. */
type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.other` ? B : never) : never;

const pluralRules = new Map<Locale, Intl.PluralRules>();

function fill(template: string, locale: Locale, vars: Vars | undefined): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? v.toLocaleString(intlTags[locale]) : v;
  });
}

/** The string for the key in the locale (English when a catalog lacks it), placeholders filled. */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  return fill(catalogs[locale]?.[key] ?? en[key], locale, vars);
}

/** The plural form for vars.count: key.one or key.other by the language's plural rules. */
export function translatePlural(locale: Locale, base: PluralBase, count: number, vars?: Vars): string {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(intlTags[locale] ?? 'en');
    pluralRules.set(locale, rules);
  }
  const form = rules.select(count) === 'one' ? 'one' : 'other';
  return translate(locale, `${base}.${form}` as MessageKey, { count, ...vars });
}

/** A translator bound to one locale, for a page or an email. */
export function translator(requested: Locale | undefined): Translate & { plural: (base: PluralBase, count: number, vars?: Vars) => string; locale: Locale } {
  // A page rendered outside the middleware (an error page) has no locale: the default language.
  const locale: Locale = requested && requested in catalogs ? requested : 'en';
  const t = ((key: MessageKey, vars?: Vars) => translate(locale, key, vars)) as Translate & {
    plural: (base: PluralBase, count: number, vars?: Vars) => string;
    locale: Locale;
  };
  t.plural = (base, count, vars) => translatePlural(locale, base, count, vars);
  t.locale = locale;
  return t;
}

/** What translator() returns: t(key), t.plural(base, count) and t.locale. */
export type Translator = ReturnType<typeof translator>;
