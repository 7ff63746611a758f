// The component choices the subscribe and manage forms show, in the page's order, grouped as on the page.
import { env } from '../env.ts';
import type { StatusModel } from '../status-data/status-model.ts';

/** The live site's origin, where a static copy's subscribe form posts: SITE_URL, else site.yaml's url. */
export function liveOrigin(model: Pick<StatusModel, 'site'>, siteUrl: string | undefined = env().SITE_URL): string {
  return new URL(siteUrl ?? model.site.url).origin;
}

export interface ComponentChoiceGroup {
  /** The group's name, or null for components outside any group. */
  name: string | null;
  components: { id: string; name: string; checked: boolean }[];
}

/** Groups of checkboxes; `chosen` null (every component) leaves them all unticked, which means "all". */
export function componentChoices(model: Pick<StatusModel, 'groups' | 'components'>, chosen: readonly string[] | null): ComponentChoiceGroup[] {
  const checked = (id: string): boolean => chosen !== null && chosen.includes(id);
  const out: ComponentChoiceGroup[] = model.groups.map((g) => ({
    name: g.name,
    components: g.components.map((c) => ({ id: c.id, name: c.name, checked: checked(c.id) })),
  }));
  const loose = model.components.filter((c) => c.groupId === null);
  if (loose.length > 0) out.push({ name: null, components: loose.map((c) => ({ id: c.id, name: c.name, checked: checked(c.id) })) });
  return out;
}
