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

export const ADMIN_EMAIL = 'oncall@acme.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/**
 * Creates the first admin through the setup link the server printed and returns it signed in.
 * `output` names whose link to use when several instances share a database (the last one started wins).
 */
export async function firstAdmin(server: RunningServer, options: { output?: string; email?: string } = {}): Promise<AdminClient> {
  const admin = adminClient(server);
  const link = new URL(setupLinkFrom(options.output ?? server.output()));
  const email = options.email ?? ADMIN_EMAIL;
  const r = await admin.post(link.pathname + link.search, { email, password: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD });
  if (r.status !== 303) throw new Error(`setup failed: ${r.status}`);
  return admin;
}
