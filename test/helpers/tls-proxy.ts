// For the TLS proxy tests: a self-signed certificate, HTTPS requests from a chosen loopback source address (every
// 127.x.y.z is this machine on Linux, so each stands for a different client), and the configs of docs/deploy.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import Database from 'better-sqlite3';

const root = path.resolve(import.meta.dirname, '../..');

export interface Certificate {
  certFile: string;
  keyFile: string;
  pem: string;
}

/** A certificate for 127.0.0.1 (as its IP SAN), made by Debian's openssl into `dir`. */
export function selfSignedCertificate(dir: string): Certificate {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { certFile, keyFile, pem: fs.readFileSync(certFile, 'utf8') };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request from source address `from`, trusting only `ca`; a form body when `form` is given. */
export function httpsFrom(from: string, url: string, ca: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<Answer> {
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  const headers: Record<string, string> = { ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}), ...init.headers };
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, ca, localAddress: from, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The session cookie a response set, whole (with its attributes), or null. */
export function sessionCookie(a: Answer): string | null {
  const set = a.headers['set-cookie'];
  return (Array.isArray(set) ? set : []).find((c) => c.startsWith('kaizen_session=')) ?? null;
}

/** The one fenced block of `lang` in docs/deploy.md: the tests run what the documentation shows. */
export function deployDocBlock(lang: 'nginx' | 'caddyfile' | 'ini' | 'sh'): string {
  const doc = fs.readFileSync(path.join(root, 'docs/deploy.md'), 'utf8');
  const blocks = [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
  if (blocks.length !== 1) throw new Error(`docs/deploy.md has ${blocks.length} \`\`\`${lang} blocks, expected 1`);
  return blocks[0]!;
}

/** Replaces each `from` in `text` (each must be there) with its `to`. */
export function substitute(text: string, pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`docs/deploy.md no longer contains ${JSON.stringify(from)}; update the test with the documentation`);
    out = out.split(from).join(to);
  }
  return out;
}

/** `actor detail` of the audit entries with this action, oldest first, read from the server's SQLite file. */
export function auditEntries(dataDir: string, action: string): string[] {
  const db = new Database(path.join(dataDir, 'status.db'), { readonly: true });
  try {
    return (db.prepare('select actor, detail from audit_log where action = ? order by at, id').all(action) as { actor: string; detail: string }[]).map((r) => `${r.actor} ${r.detail}`);
  } finally {
    db.close();
  }
}
