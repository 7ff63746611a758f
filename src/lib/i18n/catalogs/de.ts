import type { Catalog } from './en.ts';

export const de: Catalog = {
  'nav.main': 'Hauptnavigation',
  'nav.status': 'Status',
  'nav.history': 'Verlauf',
  'nav.postmortems': 'Post-Mortems',
  'nav.reliability': 'Zuverlässigkeit',
  'nav.subscribe': 'Abonnieren',
  'nav.support': 'Support',
  'nav.skip': 'Zum Inhalt springen',
  'footer.timezone': 'Zeiten werden in {zone} angezeigt.',
  'footer.poweredBy': 'Betrieben mit',
  'footer.language': 'Sprache',
};
