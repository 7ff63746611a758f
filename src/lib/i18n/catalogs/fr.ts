import type { Catalog } from './en.ts';

export const fr: Catalog = {
  'nav.main': 'Navigation principale',
  'nav.status': 'État',
  'nav.history': 'Historique',
  'nav.postmortems': 'Post-mortems',
  'nav.reliability': 'Fiabilité',
  'nav.subscribe': 'S’abonner',
  'nav.support': 'Assistance',
  'nav.skip': 'Aller au contenu',
  'footer.timezone': 'Les heures sont affichées en {zone}.',
  'footer.poweredBy': 'Propulsé par',
  'footer.language': 'Langue',
};
