// English, the reference catalog: every key exists here first; the other catalogs must have exactly these keys.
// Placeholders are {name}; plural forms are separate keys ending in .one / .other (see translate.ts).

export const en = {
  'nav.main': 'Main',
  'nav.status': 'Status',
  'nav.history': 'History',
  'nav.postmortems': 'Post-mortems',
  'nav.reliability': 'Reliability',
  'nav.subscribe': 'Subscribe',
  'nav.support': 'Support',
  'nav.skip': 'Skip to content',
  'footer.timezone': 'Times are shown in {zone}.',
  'footer.poweredBy': 'Powered by',
  'footer.language': 'Language',
} as const;

export type MessageKey = keyof typeof en;
/** A complete catalog for one language: every English key, translated. */
export type Catalog = Record<MessageKey, string>;
