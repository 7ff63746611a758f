// The manage API's components: the list, and PATCH of a status through the admin's own component service.
import { componentStatuses, type ComponentStatus } from '../../../status/vocabulary.ts';
import { setComponentStatus } from '../../components/component.service.ts';
import type { Db } from '../../db/connection.ts';
import { NotFoundError } from '../../errors.ts';
import { statusModel } from '../../status-data/runtime.ts';
import type { SpComponent } from '../statuspage.ts';
import type { SpState } from '../statuspage.ts';
import { FieldError } from './incident-fields.ts';
import { manageState } from './incidents.ts';
import { ReadOnlyRecordError } from './read-only-error.ts';
import { section, type Body } from './request-body.ts';

/** GET …/components: groups and leaves in display order, as v2's components.json lists them. */
export function listComponents(s: SpState): SpComponent[] {
  return s.components;
}

/** The status a PATCH asks for; name, description and the rest live in components.yaml and are refused. */
export function readComponentWrite(component: Body): ComponentStatus {
  const other = Object.keys(component).filter((k) => k !== 'status');
  if (other.length > 0) {
    throw new ReadOnlyRecordError('content/components.yaml', `component[${other[0]}] cannot be changed here: components are defined in content/components.yaml; change it in git.`);
  }
  const status = component.status;
  if (typeof status !== 'string' || !(componentStatuses as readonly string[]).includes(status)) {
    throw new FieldError('component[status]', `component[status] must be one of ${componentStatuses.join(', ')}`);
  }
  return status as ComponentStatus;
}

/** PATCH …/components/{id}: sets the status as the admin's component page does. */
export async function updateManagedComponent(db: Db, id: string, body: Body, actor: string, now: number): Promise<SpComponent> {
  const model = await statusModel();
  if (model.groups.some((g) => g.id === id)) throw new FieldError('component', `'${id}' is a group: its status follows its components`);
  if (!model.componentById.has(id)) throw new NotFoundError('component', id);
  const status = readComponentWrite(section(body, 'component'));
  await setComponentStatus(db, model, id, status, actor, now);
  const s = await manageState(now);
  return s.componentJson.get(id)!;
}
