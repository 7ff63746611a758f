// Which view of the status model a request gets: the whole one for a signed-in team member, the public one for
// everyone else. Set once by the middleware for the request; anything read outside it is public (fail closed).
import { AsyncLocalStorage } from 'node:async_hooks';
import { publicModelOf, statusModel } from './runtime.ts';
import type { StatusModel } from './status-model.ts';

export type Viewer = 'team' | 'public';

const storage = new AsyncLocalStorage<Viewer>();

/** Runs `fn` (the rest of the request) as seen by `viewer`. */
export function runAs<T>(viewer: Viewer, fn: () => T): T {
  return storage.run(viewer, fn);
}

/** Who the current request is rendered for; public when no request set it. */
export function currentViewer(): Viewer {
  return storage.getStore() ?? 'public';
}

/** The read model with internal items removed, derived once per model build. */
export async function publicStatusModel(): Promise<StatusModel> {
  return publicModelOf(await statusModel());
}

/** The model the current request may see: everything for the team, the public model otherwise. */
export async function visibleModel(): Promise<StatusModel> {
  return currentViewer() === 'team' ? statusModel() : publicStatusModel();
}
