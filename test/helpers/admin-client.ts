// A signed-in admin over HTTP: keeps the session cookie and sends Origin like a browser's form post.
import type { RunningServer } from './server.ts';

export interface AdminClient {
  cookie: string | null;
  get: (path: string) => Promise<Response>;
  post: (path: string, fields: Record<string, string | string[]>, init?: { origin?: string | null; cookie?: string | null }) => Promise<Response>;
}

export function adminClient(server: RunningServer): AdminClient {
  const client: AdminClient = {
    cookie: null,
    async get(path) {
      return server.get(path, { headers: client.cookie ? { cookie: client.cookie } : {} });
    },
    async post(path, fields, init = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      const origin = init.origin === undefined ? new URL(server.url).origin : init.origin;
      if (origin) headers.origin = origin;
      const cookie = init.cookie === undefined ? client.cookie : init.cookie;
      if (cookie) headers.cookie = cookie;
      const r = await server.get(path, { method: 'POST', body, headers });
      const set = r.headers.getSetCookie().find((c) => c.startsWith('kaizen_session='));
      if (set && init.cookie === undefined) {
        const value = set.split(';')[0]!;
        client.cookie = value === 'kaizen_session=' ? null : value;
      }
      return r;
    },
  };
  return client;
}

/** The setup link the server printed at start. */
export function setupLinkFrom(output: string): string {
  const m = /(http:\/\/\S+\/admin\/setup\?token=\w+)/.exec(output);
  if (!m) throw new Error(`no setup link in output:\n${output}`);
  return m[1]!;
}
