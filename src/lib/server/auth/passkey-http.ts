// What the passkey endpoints share: the relying party of a request and their JSON answers (never cached).
import { env } from '../env.ts';
import { statusModel } from '../status-data/runtime.ts';
import { relyingParty, type RelyingParty } from './passkey-party.ts';

/** The relying party for this request: SITE_URL's host (or the request's) and the site's name. */
export async function requestParty(url: URL): Promise<RelyingParty> {
  return relyingParty(env().SITE_URL, url, (await statusModel()).site.name);
}

/** A JSON answer for the page's script. */
export function passkeyJson(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-store', ...headers } });
}
