// A browser over HTTP for single sign-on tests: one cookie jar for the status page and the provider (cookies keyed
// by origin, name and path, sent where their path applies), redirects followed by hand, the provider's
// development login and consent forms filled in.
export interface Jar {
  cookies: Map<string, { origin: string; name: string; path: string; value: string }>;
}

export function newJar(): Jar {
  return { cookies: new Map() };
}

function store(jar: Jar, url: URL, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const pathAttr = attrs.map((a) => a.trim()).find((a) => /^path=/i.test(a));
    const path = pathAttr ? pathAttr.slice(5) : '/';
    const expired = value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
    const key = `${url.origin} ${name} ${path}`;
    if (expired) jar.cookies.delete(key);
    else jar.cookies.set(key, { origin: url.origin, name, path, value });
  }
}

/** The Cookie header a browser would send to `url`. */
export function cookieHeader(jar: Jar, url: URL): string {
  return [...jar.cookies.values()]
    .filter((c) => c.origin === url.origin && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/'))
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

/** Removes a cookie of `origin` by name (whatever its path). */
export function dropCookie(jar: Jar, origin: string, name: string): void {
  for (const [k, c] of jar.cookies) if (c.origin === origin && c.name === name) jar.cookies.delete(k);
}

export async function request(jar: Jar, url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const cookie = cookieHeader(jar, url);
  if (cookie) headers.cookie = cookie;
  let body: URLSearchParams | undefined;
  if (init.form) {
    body = new URLSearchParams(init.form);
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = url.origin;
  }
  const r = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
  store(jar, url, r);
  return r;
}

function formOf(html: string, base: URL): { action: URL; fields: Record<string, string> } | null {
  const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = m[2]!;
  return { action: new URL(form[1]!.replace(/&amp;/g, '&'), base), fields };
}

export interface Hop {
  url: URL;
  response: Response;
}

/**
 * Follows redirects from `start`, signing in at the provider as `login` and consenting, until a response that is
 * not a redirect, or until the next URL satisfies `stopBefore` (returned unrequested, e.g. the callback to tamper with).
 */
export async function browse(jar: Jar, start: URL, options: { login?: string; stopBefore?: (url: URL) => boolean } = {}): Promise<{ url: URL; response: Response | null; hops: URL[] }> {
  let url = start;
  let init: { form?: Record<string, string> } = {};
  const hops: URL[] = [];
  for (let i = 0; i < 20; i++) {
    if (options.stopBefore?.(url)) return { url, response: null, hops };
    hops.push(url);
    const r = await request(jar, url, init);
    init = {};
    const location = r.headers.get('location');
    if (r.status >= 300 && r.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    // The provider's own pages: its login form, then its consent form.
    const html = r.headers.get('content-type')?.includes('html') ? await r.clone().text() : '';
    const form = url.pathname.startsWith('/interaction/') ? formOf(html, url) : null;
    if (form && form.fields.prompt === 'login' && options.login) {
      url = form.action;
      init = { form: { ...form.fields, login: options.login, password: 'anything' } };
      continue;
    }
    if (form && form.fields.prompt === 'consent') {
      url = form.action;
      init = { form: form.fields };
      continue;
    }
    return { url, response: r, hops };
  }
  throw new Error(`too many redirects: ${hops.map((h) => h.href).join(' → ')}`);
}
