// npm start: build when needed, check settings, migrate the database, then serve.
import cluster from 'node:cluster';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { issueSetupLink } from '../lib/server/auth/setup-link.ts';
import { processDb } from '../lib/server/db/process-db.ts';
import { redactSecrets, redactUrl } from '../lib/server/db/redact-url.ts';
import { takeServerLock } from '../lib/server/db/server-lock.ts';
import { isPostgresUrl } from '../lib/server/db/connection.ts';
import { readCacheBridge } from '../lib/server/cache/cache-bridge.ts';
import { parseCacheSettings, type CacheSettings } from '../lib/server/cache/cache-settings.ts';
import { createResponseCache, hasSessionCookie, isCacheablePath } from '../lib/server/cache/response-cache.ts';
import { PRIVATE_ROBOTS_TXT } from '../lib/status/private-site.ts';
import { EnvError, parseEnv } from '../lib/server/env.ts';
import { startEmailWorker } from '../lib/server/email/worker.ts';
import { startChannelWorker } from '../lib/server/channels/channel-worker.ts';
import { bodyLimitFor, limitBody } from '../lib/server/http/body-limit.ts';
import { clientAddress, TRUST_NOTHING } from '../lib/server/http/client-address.ts';
import { compressAppResponse, createStaticCompressor } from '../lib/server/http/compression.ts';
import { withClientAddress } from '../lib/server/http/request-context.ts';
import { createHealthRoutes } from '../lib/server/health/health-routes.ts';
import { createMetrics } from '../lib/server/metrics/metrics.ts';
import { startReminderLoop } from '../lib/server/reminders/reminder-loop.ts';
import { startStaticMirror } from '../lib/server/export/static-mirror.ts';
import { loadApp } from './app-handler.ts';
import { runPrimary } from './cluster-primary.ts';
import { inCluster, runsBackgroundJobs, workerId } from '../lib/server/cluster/cluster-role.ts';
import { clientDir, ensureBuild } from './ensure-build.ts';
import { logBackgroundError } from '../lib/server/log/background-error.ts';

// Nothing thrown outside a request goes unsaid: where, message and stack, never the database password. A stray
// rejected promise is one failed operation: said, and the page keeps serving. An uncaught exception may have stopped
// a loop half-way (delivery, the mirror, the database supervisor): said, then exit 1 for the supervisor to restart.
process.on('unhandledRejection', (e) => logBackgroundError('unhandled rejection (still serving)', e));
process.on('uncaughtException', (e) => {
  logBackgroundError('uncaught exception (exiting with 1 to be restarted)', e);
  process.exit(1);
});

const startedAt = Date.now();

let settings;
let cacheSettings: CacheSettings;
try {
  settings = parseEnv();
  cacheSettings = parseCacheSettings();
} catch (e) {
  if (e instanceof EnvError || (e instanceof Error && e.message.startsWith('Invalid environment settings'))) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

// A missing content folder at start is a mistake in the settings, not an outage: say which folder.
const contentDir = path.resolve(settings.CONTENT_DIR);
if (!fs.statSync(contentDir, { throwIfNoEntry: false })?.isDirectory()) {
  console.error(`CONTENT_DIR: ${settings.CONTENT_DIR} (${contentDir}) is not a folder; set CONTENT_DIR to the folder with site.yaml and components.yaml.`);
  process.exit(1);
}

// One server per SQLite file (decision record 028): its first process holds the lock, its cluster workers share it.
if (cluster.isPrimary) {
  const lock = takeServerLock(settings.DATABASE_URL);
  if (!lock.ok) console.error(lock.message);
  if (!lock.ok && lock.refused) process.exit(1);
}

ensureBuild();

// WEB_CONCURRENCY > 1: this process only forks and supervises the workers, which run the rest of this script.
if (cluster.isPrimary && settings.WEB_CONCURRENCY > 1) {
  runPrimary(settings.WEB_CONCURRENCY);
  await new Promise<never>(() => {});
}
// In a cluster, one worker runs the background jobs; the others only serve (decision record 022).
const background = runsBackgroundJobs();

// One database handle for the whole process (the Astro bundle shares it). An unreachable database at start
// is an outage like any other: the site serves the content files and the database is retried in the background.
const pdb = processDb(settings.DATABASE_URL);
// Printed without its password, everywhere.
const database = redactUrl(settings.DATABASE_URL);
try {
  const first = await pdb.firstAttempt;
  if (first.ok && first.applied.length > 0) console.log(`Database ${database}: applied ${first.applied.join(', ')}`);
  if (!first.ok) console.error(`Database ${database}: unavailable at start (${redactSecrets(first.reason, settings.DATABASE_URL)}); serving the content files and retrying in the background.`);
} catch (e) {
  console.error(`Database ${database}: ${redactSecrets(e instanceof Error ? e.message : String(e), settings.DATABASE_URL)}`);
  process.exit(1);
}

// /metrics (README, "Metrics"): 404 unless METRICS_TOKEN is set. Scraped only once listening, when the cache exists.
const metrics = createMetrics({
  token: settings.METRICS_TOKEN ?? null, db: pdb.db, cacheStats: () => cache.stats(), contentProblems: () => readCacheBridge()?.content().problems ?? null,
});

// Email: delivers the outbox and turns content changes into notifications (docs/email.md).
const worker = background ? startEmailWorker(settings, { db: pdb.db, onOutcome: metrics.emailOutcome }) : null;
// Chat and webhook subscribers, and the team channel (README, "Chat and webhook notifications").
const channels = background ? startChannelWorker(settings, { db: pdb.db }) : null;

// Misses are rendered through the app on a loopback-only listener, so the cache sees a plain response.
const app = await loadApp();
const { handler, render } = app;

const cache = createResponseCache({
  render: metrics.timeRender(render),
  version: () => readCacheBridge()?.version(Date.now()) ?? null,
  dataVersion: () => readCacheBridge()?.dataVersion(Date.now()) ?? null,
  maxBytes: cacheSettings.CACHE_MAX_BYTES,
  cacheControl: cacheSettings.PUBLIC_CACHE_CONTROL,
});

const health = createHealthRoutes({ startedAt, db: pdb.db, content: () => readCacheBridge()?.content() ?? null, worker: () => worker?.health() ?? null });

// The runbook's clock: reminders to admins when a public update or an escalation step comes due.
const reminders = !background ? null : startReminderLoop({
  db: pdb.db,
  model: () => readCacheBridge()?.statusModel() ?? null,
  onChange: (listener) => readCacheBridge()?.onDataChange(listener) ?? null,
  siteUrl: settings.SITE_URL,
});

// Static mirror (docs/static-mirror.md): with STATIC_EXPORT_DIR set, a copy of the public site after every change.
const mirror = !background ? null : startStaticMirror(settings, { render: (p, o) => cache.identity(p, o), bridge: readCacheBridge, assetsDir: clientDir, cacheControl: cacheSettings.PUBLIC_CACHE_CONTROL, db: pdb.db });

// An https site is https only: browsers are told so on every response (README, "Behind a TLS proxy").
const hsts = settings.SITE_URL?.startsWith('https:') ? 'max-age=31536000; includeSubDomains' : null;
const trustProxy = settings.TRUST_PROXY ?? TRUST_NOTHING;
const bodyLimits = { form: settings.MAX_FORM_BYTES, api: settings.MAX_WEBHOOK_BYTES };
// The build's stylesheets and scripts, compressed once each (README, "Serving under incident traffic").
const staticFiles = createStaticCompressor(clientDir);

const servedBy = workerId();
/** Set once SIGTERM/SIGINT arrives: responses then close their connection once sent. */
let stopping = false;
const server = http.createServer((req, res) => {
  if (stopping) res.shouldKeepAlive = false;
  // Headers that every response carries, static files included.
  if (servedBy !== null) res.setHeader('X-Worker', String(servedBy));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  if (hsts) res.setHeader('Strict-Transport-Security', hsts);
  metrics.observe(req, res);
  const pathname = (req.url ?? '/').split('?', 1)[0]!;
  // A private site (decision record 020; unknown until the bundle answers) is never cached, indexed or crawled.
  const privateSite = readCacheBridge()?.isPrivate() ?? true;
  if (privateSite) res.setHeader('X-Robots-Tag', 'noindex');
  if (privateSite && pathname === '/robots.txt') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-store' });
    res.end(PRIVATE_ROBOTS_TXT);
    return;
  }
  // A request with a session cookie may be a team member's, who sees team-only items: never from or into the cache.
  const cached = cacheSettings.RESPONSE_CACHE === 'on' && (req.method === 'GET' || req.method === 'HEAD') && isCacheablePath(pathname)
    && !hasSessionCookie(req.headers.cookie) && !privateSite;
  // Every text response leaves compressed when the client accepts it; the cache keeps its own compressed copies.
  if (!cached) compressAppResponse(req, res);
  if (health.handle(req, res)) return;
  if (metrics.handle(req, res)) return;
  // While a part is down, every response says it may be stale (the page itself says so after a minute).
  const warning = readCacheBridge()?.warning() ?? null;
  if (warning) res.setHeader('Warning', warning);
  if (cached) {
    cache.serve(req, res).catch((e: unknown) => {
      console.error(redactSecrets(`render ${req.url}: ${e instanceof Error ? e.stack : String(e)}`, settings.DATABASE_URL));
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
    return;
  }
  if (staticFiles.serve(req, res, pathname)) return;
  // The client's address by TRUST_PROXY, handed to the app in-process; the app sees no client-written X-Forwarded-For.
  const client = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxy);
  req.headers['x-forwarded-for'] = client;
  // Bodies are counted as they arrive; one over its limit is answered 413 here and never reaches the app.
  limitBody(req, res, pathname, bodyLimitFor(pathname, bodyLimits), () => withClientAddress(client, () => handler(req, res)));
});
/** Prints the one-time setup link while no admin exists (once the database can say so). */
async function offerSetupLink(base: string): Promise<void> {
  try {
    const link = await issueSetupLink(pdb.db, base, Date.now());
    if (link) console.log(`No admin account yet. Create the first one (link valid 1 hour, single use):\n  ${link}\n`);
  } catch (e) {
    logBackgroundError('setup link', e);
  }
}

// A port that is taken (or not ours to take) is a setting to change, not a crash: one line, exit 1.
server.on('error', (e: NodeJS.ErrnoException) => {
  const where = `PORT ${settings.PORT} on ${settings.HOST}`;
  if (e.code === 'EADDRINUSE') console.error(`${where} is already in use; stop the other server or set PORT.`);
  else if (e.code === 'EACCES') console.error(`${where} needs privileges this process does not have; set PORT above 1023 and put a proxy in front.`);
  else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') console.error(`HOST ${settings.HOST} is not an address of this machine; set HOST (e.g. 127.0.0.1, or 0.0.0.0 for all).`);
  else console.error(`Cannot listen on ${where}: ${e.message}`);
  process.exit(1);
});

server.listen(settings.PORT, settings.HOST, async () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const host = settings.HOST.includes(':') ? `[${settings.HOST}]` : settings.HOST;
  const local = `http://${host}:${port}`;
  const base = settings.SITE_URL ?? local;
  // Loads the bundle's content store and read model before the first reader arrives (and for /readyz).
  await render('/').catch((e: unknown) => logBackgroundError('warm-up render of /', e));
  const first = await pdb.firstAttempt.catch(() => null); // a failed first attempt was said above (and exited)
  if (background) {
    if (first?.ok) await offerSetupLink(base);
    else void pdb.whenReady().then(() => offerSetupLink(base));
  }
  // A cluster's primary says it once, when every worker listens.
  if (inCluster()) {
    process.send?.({ kaizen: 'ready', url: local });
    return;
  }
  console.log(`Kaizen Status listening on ${local} (content: ${settings.CONTENT_DIR}, database: ${database})`);
});

/**
 * Graceful shutdown (SIGTERM/SIGINT; docs/decisions/027-graceful-shutdown.md): no new connection or batch is taken,
 * responses in progress complete (each connection closed after its response), the email calls in flight finish and
 * their answers are stored, background loops stop; all within SHUTDOWN_GRACE_MS, then the process exits 0. Past the
 * bound, what is still out is cut: an aborted call's batch stays stored with its key and goes out on the next start.
 */
const SHUTDOWN_GRACE_MS = 20_000;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  const deadline = Date.now() + SHUTDOWN_GRACE_MS;
  const left = (): number => Math.max(0, deadline - Date.now());
  const bounded = (p: Promise<unknown>, ms: number): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([p, new Promise((r) => { timer = setTimeout(r, ms); })]).finally(() => clearTimeout(timer));
  };
  const served = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  reminders?.stop();
  const background = Promise.allSettled([
    worker?.stop(left()).then((aborted) => {
      if (aborted > 0) console.error(`email: ${aborted} batch call(s) still unanswered after ${SHUTDOWN_GRACE_MS / 1000} s; aborted, sent again with the same key on the next start`);
    }),
    channels?.stop(),
    mirror?.stop(),
  ]);
  void (async () => {
    await bounded(Promise.all([served, background]), left());
    // Past the bound: whatever response is still being written is cut.
    server.closeAllConnections();
    app.close();
    // PostgreSQL's pool is ended, briefly: the data is already stored. A SQLite file is left as it is, WAL and all
    // (committed, recovered on the next open): closing it would checkpoint and delete the WAL and its -shm, and a
    // WAL-mode file without them cannot be opened on a read-only disk, where the next start must still serve it.
    if (isPostgresUrl(settings.DATABASE_URL)) await bounded(pdb.stop().catch(() => {}), 2000);
    process.exit(0);
  })();
  // A last resort should anything above hang.
  setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS + 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// A worker whose primary is gone (killed) stops too: nothing would restart or stop it.
if (inCluster()) process.on('disconnect', stop);
