// The client address the front server (src/cli/start.ts) resolved for the request being handled, carried into
// the Astro bundle in-process: an AsyncLocalStorage shared through a global symbol (the bundle and the server script
// load separate copies of this module). Nothing a client sends can set it, unlike a header.
import { AsyncLocalStorage } from 'node:async_hooks';

const KEY = Symbol.for('kaizen-status.request-context');

interface RequestContext {
  clientAddress: string;
}

function storage(): AsyncLocalStorage<RequestContext> {
  const g = globalThis as Record<symbol, AsyncLocalStorage<RequestContext> | undefined>;
  return (g[KEY] ??= new AsyncLocalStorage<RequestContext>());
}

/** Runs `handle` (the app's handler for one request) with the request's resolved client address. */
export function withClientAddress<T>(clientAddress: string, handle: () => T): T {
  return storage().run({ clientAddress }, handle);
}

/** The address start.ts resolved for the current request, or null outside one (a render of its own, a test). */
export function resolvedClientAddress(): string | null {
  return storage().getStore()?.clientAddress ?? null;
}
