// Fills Astro.locals (client address; session, user for /admin and for public pages when a session cookie is sent; who the page is rendered for), guards /admin, reads every form post once (a malformed one is a 400), and sets security headers on every response.
// While the database is unavailable, a signed-in admin keeps the admin pages (sessions seen lately are
// remembered) and a page that needs the database answers 503 with an explanation, never a bare 500.
import { defineMiddleware } from 'astro:middleware';
import { deleteSessionCookie, SESSION_COOKIE, setSessionCookie, validateSessionTokenResilient } from './lib/server/auth/session.ts';
import { isSecureRequest, isAdminPath, isPublicAdminPath, isReadOnlyPublicPath, mirrorSubscribePost, originExempt, sameOrigin } from './lib/server/auth/request.ts';
import { methodNotAllowed } from './lib/server/api/http.ts';
import { DatabaseUnavailableError } from './lib/server/db/db-errors.ts';
import { formBodyErrorResponse, FormBodyError, readForm } from './lib/server/http/read-form.ts';
import { resolvedClientAddress } from './lib/server/http/request-context.ts';
import { contentStore, database } from './lib/server/status-data/runtime.ts';
import { runAs } from './lib/server/status-data/audience.ts';
import { ensureAlertClock } from './lib/server/alerts/alert-clock.ts';
import { dataChangesSettled } from './lib/server/cluster/data-sync.ts';
import { env } from './lib/server/env.ts';
import { ENROL_PATH, mustEnrolFirst } from './lib/server/auth/totp-required.ts';
import { localePath, siteLanguages, splitLocalePrefix, type Locale } from './lib/i18n/locales.ts';
import { mayAccess, requiredAccess, ruleFor } from './lib/server/auth/permissions.ts';
import { forbiddenJson } from './lib/server/auth/forbidden.ts';
import { gateFor, isPrivateSite } from './lib/status/private-site.ts';
import { asUnauthorized, privateMachineResponse, readerOf } from './lib/server/private-site/private-gate.ts';

/**
 * The interface language of a request: a configured language other than the default is served under its prefix
 * ('/de/history' renders '/history' in German); everything else is the default language at its own path.
 * Admin pages and the API have no language prefix.
 */
function requestLanguage(path: string): { locale: Locale; languages: Locale[]; unprefixed: string | null } {
  const languages = siteLanguages(contentStore().current().snapshot.site.languages);
  const prefix = splitLocalePrefix(path);
  const served = prefix && prefix.locale !== languages[0] && languages.includes(prefix.locale)
    && !isAdminPath(prefix.rest) && !prefix.rest.startsWith('/api/');
  return served ? { locale: prefix.locale, languages, unprefixed: prefix.rest } : { locale: languages[0]!, languages, unprefixed: null };
}

/** Only when the bundle is served without src/cli/start.ts (unsupported): the adapter's address, TRUST_PROXY unapplied. */
function socketAddress(context: { clientAddress: string }): string {
  try {
    return context.clientAddress;
  } catch {
    return 'unknown';
  }
}

export const onRequest = defineMiddleware(async (context, next) => {
  // Alert hold-downs are rows; the first request after a start (npm start renders / at once) resumes their clock.
  ensureAlertClock();
  context.locals.user = null;
  context.locals.session = null;
  context.locals.reader = null;
  context.locals.clientAddress = resolvedClientAddress() ?? socketAddress(context);
  const language = requestLanguage(context.url.pathname);
  // Admin pages are the team's and stay English.
  context.locals.locale = isAdminPath(context.url.pathname) ? 'en' : language.locale;
  context.locals.languages = language.languages;
  // The page under a language prefix is the unprefixed route: every check below sees that path.
  const path = language.unprefixed ?? context.url.pathname;
  const admin = isAdminPath(path);
  const method = context.request.method;
  const changesState = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
  // A write to a read-only public path changes nothing: 405 JSON with Allow and CORS, from any origin.
  if (changesState && isReadOnlyPublicPath(path)) return finish(methodNotAllowed(), false);
  // Every state change must come from this site's own pages (Origin checked), whatever its content type.
  if (changesState && !originExempt(path) && !sameOrigin(context.request, context.url) && !mirrorSubscribePost(context.request, path)) {
    return new Response('Cross-site request refused.', { status: 403, headers: { 'Cache-Control': 'private, no-store', 'Content-Type': 'text/plain' } });
  }
  const token = context.cookies.get(SESSION_COOKIE)?.value;
  if (admin) {
    const secure = isSecureRequest(context.url);
    if (token) {
      const v = await database()
        .then((db) => validateSessionTokenResilient(db, token, Date.now()))
        .catch((e: unknown) => {
          if (e instanceof DatabaseUnavailableError) return { session: null, user: null, renewed: false, fromMemory: true } as const;
          throw e;
        });
      if (v.session) {
        context.locals.session = v.session;
        context.locals.user = v.user;
        if (v.renewed) setSessionCookie(context.cookies, token, v.session.expiresAt, secure);
      } else if (!v.fromMemory) {
        // Only a database that answered can say a session is gone; an outage must not sign anyone out.
        deleteSessionCookie(context.cookies, secure);
      }
    }
    if (!context.locals.user && !isPublicAdminPath(path)) {
      const nextUrl = `${path}${context.url.search}`;
      return new Response(null, {
        status: 303,
        headers: { Location: `/admin/login?next=${encodeURIComponent(nextUrl)}`, 'Cache-Control': 'private, no-store' },
      });
    }
    // REQUIRE_2FA (two-factor sign-in compulsory): a user without TOTP is sent to enrol first.
    if (context.locals.user && env().REQUIRE_2FA && !isPublicAdminPath(path) && (await mustEnrolFirst(context.locals.user.id, path))) {
      return new Response(null, { status: 303, headers: { Location: `${ENROL_PATH}#two-factor`, 'Cache-Control': 'private, no-store' } });
    }
    // Authorization, in one place: the route's rule for this method and form action (src/lib/server/auth/permissions.ts).
    const action = method === 'POST' ? await readForm(context.request).then((f) => String(f.get('action') ?? ''), () => undefined) : null;
    // A malformed form (undefined) is refused below with its 400, before any page sees it.
    if (action !== undefined && !mayAccess(context.locals.user?.role ?? null, method, path, action)) {
      const needed = requiredAccess(method, path, action);
      const neededRole = needed === 'public' ? null : needed;
      if (ruleFor(path)?.kind === 'endpoint' || (context.request.headers.get('accept') ?? '').startsWith('application/json')) {
        return finish(forbiddenJson(neededRole, context.locals.user?.role ?? null), true);
      }
      const target = new URL('/admin/forbidden', context.url);
      if (neededRole) target.searchParams.set('need', neededRole);
      const headers = new Headers();
      for (const h of ['cookie', 'accept']) {
        const v = context.request.headers.get(h);
        if (v) headers.set(h, v);
      }
      return finish(await context.rewrite(new Request(target, { headers })), true);
    }
  }
  // A public page shows team-only items to a signed-in user: the session is checked only when its cookie is sent.
  else if (token) {
    const v = await database().then((db) => validateSessionTokenResilient(db, token, Date.now())).catch(() => null);
    if (v?.session) {
      context.locals.session = v.session;
      context.locals.user = v.user;
    }
  }
  // A private site (decision record 020): a public path needs a session or a reader pass, else it answers 401.
  const site = contentStore().current().snapshot.site;
  const closed = !admin && isPrivateSite(site);
  if (closed) {
    if (!context.locals.user) context.locals.reader = await readerOf(context.cookies, site, isSecureRequest(context.url));
    const gate = gateFor(path);
    if (gate !== 'open' && !context.locals.user && !context.locals.reader) {
      if (gate === 'machine') return finish(privateMachineResponse(path), false, 'public', true);
      const target = new URL(localePath(language.locale, '/private', language.languages[0]), context.url);
      target.searchParams.set('next', `${context.url.pathname}${context.url.search}`);
      const headers = new Headers();
      for (const h of ['cookie', 'accept', 'accept-language']) {
        const v = context.request.headers.get(h);
        if (v) headers.set(h, v);
      }
      return finish(asUnauthorized(await context.rewrite(new Request(target, { headers }))), false, 'public', true);
    }
  }
  const viewer = context.locals.user ? 'team' : 'public';
  // A prefixed form post is handed on with its body, which the check below consumes.
  const bodyCopy = language.unprefixed !== null && changesState ? context.request.clone() : null;
  // Every form post is read here first, so a malformed body is a 400 saying what is wrong on every form route.
  if (changesState && !path.startsWith('/api/')) {
    const problem = await readForm(context.request).then(() => null, (e: unknown) => {
      if (e instanceof FormBodyError) return e;
      throw e;
    });
    if (problem) return formBodyErrorResponse(problem);
  }
  let response: Response;
  try {
    if (language.unprefixed === null) response = await runAs(viewer, () => next());
    else {
      const target = new URL(`${language.unprefixed}${context.url.search}`, context.url);
      response = await runAs(viewer, () => next(bodyCopy
        ? new Request(target, { method, headers: context.request.headers, body: bodyCopy.body, duplex: 'half' } as RequestInit)
        : target));
    }
  } catch (e) {
    if (!(e instanceof DatabaseUnavailableError)) throw e;
    // A fresh GET: the original request's body may already have been read.
    const headers = new Headers();
    for (const h of ['cookie', 'accept', 'accept-language']) {
      const v = context.request.headers.get(h);
      if (v) headers.set(h, v);
    }
    // A rewrite runs this middleware again: the language prefix keeps the explanation in the reader's language.
    response = await context.rewrite(new Request(new URL(localePath(language.locale, '/unavailable', language.languages[0]), context.url), { headers }));
  }
  // A write is answered only once every cluster worker has dropped the old data (decision record 022).
  if (changesState) await dataChangesSettled();
  return finish(response, admin, viewer, closed);
});

/** The headers every response carries; admin ones, and every one of a private site, are never cached or indexed. */
function finish(response: Response, admin: boolean, viewer: 'team' | 'public' = 'public', privateSite = false): Response {
  const h = response.headers;
  h.set('X-Content-Type-Options', 'nosniff');
  h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  h.set('X-Frame-Options', 'DENY');
  h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  // Pages get Astro's CSP with script/style hashes; anything else (endpoints) gets a strict one.
  if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  if (admin) {
    h.set('Cache-Control', 'private, no-store');
    h.set('X-Robots-Tag', 'noindex');
  } else if (viewer === 'team' || privateSite) {
    // The signed-in view includes team-only items, a private site's pages are its readers': no shared cache may keep them.
    h.set('Cache-Control', 'private, no-store');
  }
  if (privateSite) h.set('X-Robots-Tag', 'noindex');
  return response;
}
