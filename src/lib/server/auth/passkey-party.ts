// Who the passkeys belong to (the WebAuthn relying party): the id and origin come from SITE_URL, or from the request
// when it is unset (decision record 018), so a passkey made on the public host keeps working behind a TLS proxy.

export interface RelyingParty {
  /** The registrable host a credential is bound to (no scheme, no port). */
  id: string;
  /** The only origin an answer may come from. */
  origin: string;
  /** What the authenticator shows: the site's name. */
  name: string;
}

/** The relying party for a request, given SITE_URL (undefined when unset) and the site's name. */
export function relyingParty(siteUrl: string | undefined, requestUrl: URL, siteName: string): RelyingParty {
  const base = siteUrl ? new URL(siteUrl) : requestUrl;
  return { id: base.hostname, origin: base.origin, name: siteName };
}
