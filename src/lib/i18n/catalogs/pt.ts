import type { Catalog } from './en.ts';

export const pt: Catalog = {
  'nav.main': 'Navegação principal',
  'nav.status': 'Estado',
  'nav.history': 'Histórico',
  'nav.postmortems': 'Post-mortems',
  'nav.reliability': 'Fiabilidade',
  'nav.subscribe': 'Subscrever',
  'nav.support': 'Suporte',
  'nav.skip': 'Saltar para o conteúdo',
  'footer.timezone': 'As horas são apresentadas em {zone}.',
  'footer.poweredBy': 'Com tecnologia',
  'footer.language': 'Idioma',
};
