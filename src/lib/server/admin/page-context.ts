// What every admin form page needs: the model, a clock, the site zone and the form context.
import { toLocalDateTime } from '../../status/time.ts';
import type { FormContext } from '../incidents/incident.schemas.ts';
import { statusModel } from '../status-data/runtime.ts';
import type { StatusModel } from '../status-data/status-model.ts';

export interface AdminContext {
  model: StatusModel;
  now: number;
  form: FormContext;
  /** An instant as a datetime-local value in the site's zone. */
  local: (instant: number | null) => string;
}

export async function adminContext(): Promise<AdminContext> {
  const model = await statusModel();
  const now = Date.now();
  const tz = model.site.timezone;
  return {
    model,
    now,
    form: { timeZone: tz, now, componentIds: model.components.map((c) => c.id) },
    local: (instant) => (instant === null ? '' : toLocalDateTime(instant, tz)),
  };
}
