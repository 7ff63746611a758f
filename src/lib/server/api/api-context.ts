// What every public machine-readable response is computed from: the read model, the clock and the public URL.
import { createHash } from 'node:crypto';
import { env } from '../env.ts';
import { visibleModel } from '../status-data/audience.ts';
import type { StatusModel } from '../status-data/status-model.ts';

/** Computed once per request so every body in it agrees on the same model, clock and URL. */
export interface ApiContext {
  model: StatusModel;
  now: number;
  /** The public base URL without a trailing slash. */
  baseUrl: string;
  /** Statuspage-style page id, stable across restarts: derived from site.yaml's url. */
  pageId: string;
}

/** A 12-character id in Statuspage's alphabet (lower-case letters and digits) derived from the given text. */
export function stableId(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

/** Builds a context from a model; kept separate from I/O so mapping code can be tested with a hand-made model. */
export function makeApiContext(model: StatusModel, now: number, siteUrl?: string): ApiContext {
  const baseUrl = (siteUrl ?? model.site.url).replace(/\/+$/, '');
  return { model, now, baseUrl, pageId: stableId(`page:${model.site.url}`) };
}

/** The context of the current request: the cached read model, now, and SITE_URL if set. */
export async function loadApiContext(): Promise<ApiContext> {
  return makeApiContext(await visibleModel(), Date.now(), env().SITE_URL);
}

/** An absolute URL on the public site for a path such as /incidents/x. */
export function absoluteUrl(ctx: ApiContext, path: string): string {
  return `${ctx.baseUrl}${path}`;
}
