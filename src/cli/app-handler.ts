// The built Astro app loaded in this process, as npm start loads it, with a loopback listener to render through.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import type { RenderedResponse } from '../lib/server/cache/response-cache.ts';
import { normalizeAddress } from '../lib/server/http/client-address.ts';
import { withClientAddress } from '../lib/server/http/request-context.ts';
import { entry } from './ensure-build.ts';

export interface LoadedApp {
  handler: http.RequestListener;
  /** Renders a path (with query) through the app, uncompressed. */
  render(pathAndQuery: string): Promise<RenderedResponse>;
  close(): void;
}

/** Imports dist/server/entry.mjs without starting its own server and listens on 127.0.0.1 for renders. */
export async function loadApp(): Promise<LoadedApp> {
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = (await import(pathToFileURL(entry).href)) as { handler: http.RequestListener };
  // Its own renders come from this process; whatever else reaches the port is its socket, never a header.
  const internal = http.createServer((req, res) => withClientAddress(normalizeAddress(req.socket.remoteAddress ?? '') ?? 'unknown', () => handler(req, res)));
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  const port = (internal.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const render = (pathAndQuery: string): Promise<RenderedResponse> => new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathAndQuery, agent, headers: { 'accept-encoding': 'identity' } }, (res) => {
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
  return {
    handler,
    render,
    close() {
      agent.destroy();
      internal.close();
      internal.closeAllConnections();
    },
  };
}
