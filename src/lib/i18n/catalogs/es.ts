import type { Catalog } from './en.ts';

export const es: Catalog = {
  'nav.main': 'Navegación principal',
  'nav.status': 'Estado',
  'nav.history': 'Historial',
  'nav.postmortems': 'Post-mortems',
  'nav.reliability': 'Fiabilidad',
  'nav.subscribe': 'Suscribirse',
  'nav.support': 'Soporte',
  'nav.skip': 'Saltar al contenido',
  'footer.timezone': 'Las horas se muestran en {zone}.',
  'footer.poweredBy': 'Funciona con',
  'footer.language': 'Idioma',
};
