// npm start: build when needed, check settings, migrate the database, then serve.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { openDb } from '../lib/server/db/connection.ts';
import { migrateToLatest } from '../lib/server/db/migrate.ts';
import { issueSetupLink } from '../lib/server/auth/setup-link.ts';
import { readCacheBridge } from '../lib/server/cache/cache-bridge.ts';
import { parseCacheSettings, type CacheSettings } from '../lib/server/cache/cache-settings.ts';
import { createResponseCache, isCacheablePath, type RenderedResponse } from '../lib/server/cache/response-cache.ts';
import { EnvError, parseEnv } from '../lib/server/env.ts';
import { startEmailWorker } from '../lib/server/email/worker.ts';
import { startStaticMirror } from '../lib/server/export/static-mirror.ts';
import { clientDir, ensureBuild, entry } from './ensure-build.ts';

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

ensureBuild();

const db = openDb(settings.DATABASE_URL);
try {
  const applied = await migrateToLatest(db);
  if (applied.length > 0) console.log(`Database ${settings.DATABASE_URL}: applied ${applied.join(', ')}`);
} catch (e) {
  console.error(`Database ${settings.DATABASE_URL}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}

// Email: delivers the outbox and turns content changes into notifications (docs/email.md).
startEmailWorker(settings);

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = (await import(pathToFileURL(entry).href)) as { handler: http.RequestListener };

// Misses are rendered through the app on a loopback-only listener, so the cache sees a plain response.
const internal = http.createServer(handler);
await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
const internalPort = (internal.address() as { port: number }).port;
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function render(pathAndQuery: string): Promise<RenderedResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: internalPort, path: pathAndQuery, agent, headers: { 'accept-encoding': 'identity' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 500, headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const cache = createResponseCache({
  render,
  version: () => readCacheBridge()?.version(Date.now()) ?? null,
  maxBytes: cacheSettings.CACHE_MAX_BYTES,
  cacheControl: cacheSettings.PUBLIC_CACHE_CONTROL,
});

// Static mirror (docs/static-mirror.md): with STATIC_EXPORT_DIR set, a copy of the public site after every change.
startStaticMirror(settings, { render: (p, o) => cache.identity(p, o), bridge: readCacheBridge, assetsDir: clientDir, cacheControl: cacheSettings.PUBLIC_CACHE_CONTROL });

const server = http.createServer((req, res) => {
  // Headers that every response carries, static files included.
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  const pathname = (req.url ?? '/').split('?', 1)[0]!;
  if (cacheSettings.RESPONSE_CACHE === 'on' && (req.method === 'GET' || req.method === 'HEAD') && isCacheablePath(pathname)) {
    cache.serve(req, res).catch((e: unknown) => {
      console.error(`render ${req.url}: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
    return;
  }
  handler(req, res);
});
server.listen(settings.PORT, settings.HOST, async () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const host = settings.HOST.includes(':') ? `[${settings.HOST}]` : settings.HOST;
  const local = `http://${host}:${port}`;
  try {
    const link = await issueSetupLink(db, settings.SITE_URL ?? local, Date.now());
    if (link) console.log(`No admin account yet. Create the first one (link valid 1 hour, single use):\n  ${link}\n`);
  } catch (e) {
    console.error(`setup link: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await db.destroy();
  }
  console.log(`Kaizen Status listening on ${local} (content: ${settings.CONTENT_DIR}, database: ${settings.DATABASE_URL})`);
});

const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  internal.close();
  internal.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
