import { describe, expect, it } from 'vitest';
import { hrefIn, localePath, personalLocale, siteLanguages, splitLocalePrefix } from '../../../src/lib/i18n/locales.ts';

describe('language prefixes', () => {
  it.each([
    ['en', '/history', 'en', '/history'],
    ['de', '/history', 'en', '/de/history'],
    ['de', '/', 'en', '/de/'],
    ['en', '/', 'de', '/en/'],
    ['de', '/', 'de', '/'],
    ['ja', 'incidents/x', 'en', '/ja/incidents/x'],
  ] as const)('%s %s (default %s) is %s', (locale, path, first, expected) => {
    expect(localePath(locale, path, first)).toBe(expected);
  });

  it.each([
    ['/de/history', { locale: 'de', rest: '/history' }],
    ['/de', { locale: 'de', rest: '/' }],
    ['/de/', { locale: 'de', rest: '/' }],
    ['/ja/history/page/2', { locale: 'ja', rest: '/history/page/2' }],
    ['/history', null],
    ['/xx/history', null],
    ['/dev/x', null],
    ['/', null],
  ])('%s splits into %j', (path, expected) => {
    expect(splitLocalePrefix(path)).toEqual(expected);
  });

  it('links stay in the page’s language', () => {
    expect(hrefIn({ locale: 'de', languages: ['en', 'de'] }, '/history')).toBe('/de/history');
    expect(hrefIn({ locale: 'en', languages: ['en', 'de'] }, '/history')).toBe('/history');
    expect(hrefIn({ locale: 'en', languages: ['de', 'en'] }, '/history')).toBe('/en/history');
    expect(hrefIn({ locale: 'en' }, '/')).toBe('/');
  });

  it('site languages default to English and keep their order, each once', () => {
    expect(siteLanguages(undefined)).toEqual(['en']);
    expect(siteLanguages([])).toEqual(['en']);
    expect(siteLanguages(['de', 'en', 'de'])).toEqual(['de', 'en']);
  });

  it('a personal page without a prefix speaks the subscriber’s language, if the site still serves it', () => {
    const site = { locale: 'en', languages: ['en', 'de'] } as const;
    expect(personalLocale(site, 'de')).toBe('de');
    expect(personalLocale(site, null)).toBe('en');
    expect(personalLocale(site, 'fr')).toBe('en');
    // A prefixed address keeps its own language.
    expect(personalLocale({ locale: 'de', languages: ['en', 'de'] }, 'en')).toBe('de');
  });
});
