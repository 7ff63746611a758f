// Receivers for chat and webhook deliveries on 127.0.0.1: each path checks bodies against the vendor's documented
// shape and limits (Slack Block Kit, Teams Adaptive Card, Discord embeds, Statuspage-style webhook + Standard Webhooks).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type Vendor = 'webhook' | 'slack' | 'teams' | 'discord';

export interface Delivery {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** What the receiver answered. */
  status: number;
  /** Schema problems found (the receiver answered 400). */
  problems: string[];
}

export interface Route {
  vendor: Vendor;
  /** Answer 500 this many times before accepting. */
  failFirst?: number;
  /** Always answer this status. */
  always?: number;
  /** Standard Webhooks secret to verify the signature with. */
  secret?: string;
  /** Answer a redirect to this path instead. */
  redirectTo?: string;
}

const len = (v: unknown): number => (typeof v === 'string' ? [...v].length : 0);

/** Problems with a body, by the vendor's documented schema and limits; empty when valid. */
export function vendorProblems(vendor: Vendor, b: any): string[] {
  const p: string[] = [];
  if (vendor === 'slack') {
    if (typeof b?.text !== 'string') p.push('text (fallback) missing');
    if (!Array.isArray(b?.blocks)) return [...p, 'blocks is not an array'];
    if (b.blocks.length > 50) p.push(`${b.blocks.length} blocks > 50`);
    for (const blk of b.blocks) {
      if (!['header', 'section', 'context', 'actions', 'divider'].includes(blk.type)) p.push(`unknown block ${blk.type}`);
      if (blk.type === 'header' && (blk.text?.type !== 'plain_text' || len(blk.text.text) > 150 || len(blk.text.text) === 0)) p.push('header must be plain_text of 1-150 chars');
      if (blk.type === 'section' && (len(blk.text?.text) > 3000 || len(blk.text?.text) === 0)) p.push('section text must be 1-3000 chars');
      if (blk.type === 'actions') for (const el of blk.elements) if (el.type !== 'button' || len(el.text?.text) > 75 || len(el.url) > 3000) p.push('bad button');
    }
  } else if (vendor === 'teams') {
    if (b?.type !== 'message') p.push('type must be message');
    const a = b?.attachments?.[0];
    if (!Array.isArray(b?.attachments) || b.attachments.length !== 1) p.push('one attachment expected');
    if (a?.contentType !== 'application/vnd.microsoft.card.adaptive') p.push('contentType must be application/vnd.microsoft.card.adaptive');
    const c = a?.content;
    if (c?.type !== 'AdaptiveCard') p.push('content.type must be AdaptiveCard');
    if (typeof c?.version !== 'string' || Number(c.version) > 1.4) p.push(`version ${c?.version} must be 1.4 or lower`);
    if (!Array.isArray(c?.body) || c.body.some((x: any) => !['TextBlock', 'FactSet', 'Container'].includes(x.type))) p.push('body must hold known elements');
  } else if (vendor === 'discord') {
    const e = b?.embeds;
    if (!Array.isArray(e) || e.length === 0 || e.length > 10) return ['1-10 embeds expected'];
    let total = 0;
    for (const x of e) {
      if (len(x.title) > 256) p.push('title > 256');
      if (len(x.description) > 4096) p.push('description > 4096');
      if ((x.fields ?? []).length > 25) p.push('fields > 25');
      for (const f of x.fields ?? []) { if (len(f.name) > 256 || len(f.value) > 1024) p.push('field too long'); total += len(f.name) + len(f.value); }
      total += len(x.title) + len(x.description) + len(x.footer?.text) + len(x.author?.name);
    }
    if (total > 6000) p.push(`embeds total ${total} > 6000`);
    if (b.content !== undefined && len(b.content) > 2000) p.push('content > 2000');
  } else {
    if (typeof b?.meta?.unsubscribe !== 'string' || typeof b?.meta?.documentation !== 'string') p.push('meta.unsubscribe and meta.documentation expected');
    if (typeof b?.page?.id !== 'string' || typeof b?.page?.status_indicator !== 'string' || typeof b?.page?.status_description !== 'string') p.push('page.id, status_indicator, status_description expected');
    if (!b?.incident && !b?.component_update && !b?.subscription) p.push('incident or component_update expected');
    if (b?.component_update) {
      const u = b.component_update;
      for (const k of ['id', 'component_id', 'created_at', 'old_status', 'new_status']) if (typeof u[k] !== 'string') p.push(`component_update.${k} expected`);
      const statuses = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];
      if (!statuses.includes(u.new_status) || !statuses.includes(u.old_status)) p.push(`component_update status ${u.old_status} -> ${u.new_status}`);
      if (b.component?.id !== u.component_id || typeof b.component?.name !== 'string') p.push('component with the same id and a name expected');
    }
    if (b?.incident) {
      const i = b.incident;
      for (const k of ['id', 'name', 'status', 'impact', 'created_at', 'updated_at', 'shortlink']) if (typeof i[k] !== 'string') p.push(`incident.${k} expected`);
      if (!['investigating', 'identified', 'monitoring', 'resolved', 'postmortem', 'scheduled', 'in_progress'].includes(i.status)) p.push(`incident.status ${i.status}`);
      if (!Array.isArray(i.incident_updates) || i.incident_updates.some((u: any) => typeof u.body !== 'string' || typeof u.status !== 'string')) p.push('incident.incident_updates expected');
    }
  }
  return p;
}

export interface Receiver {
  url(path: string): string;
  route(path: string, r: Route): void;
  deliveries(path?: string): Delivery[];
  /** Deliveries answered 2xx. */
  accepted(path: string): Delivery[];
  close(): Promise<void>;
}

/** Starts a receiver on an ephemeral port of 127.0.0.1. */
export async function startReceiver(): Promise<Receiver> {
  const routes = new Map<string, Route & { seen: number }>();
  const log: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const r = routes.get(path);
      let body: unknown = null;
      const problems: string[] = [];
      try { body = JSON.parse(raw); } catch { problems.push('not JSON'); }
      if (req.headers['content-type'] !== 'application/json') problems.push('content-type must be application/json');
      let status = 404;
      if (r) {
        r.seen++;
        problems.push(...vendorProblems(r.vendor, body));
        if (r.secret) {
          try { new Webhook(r.secret).verify(raw, req.headers as Record<string, string>); } catch (e) { problems.push(`signature: ${(e as Error).message}`); }
        }
        status = problems.length > 0 ? 400 : r.redirectTo ? 302 : r.always ?? (r.seen <= (r.failFirst ?? 0) ? 500 : 200);
      }
      log.push({ path, headers: req.headers, body, status, problems });
      res.writeHead(status, r?.redirectTo ? { location: r.redirectTo } : { 'content-type': 'text/plain' });
      res.end(problems.join('; ') || 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    route: (path, r) => { routes.set(path, { ...r, seen: 0 }); },
    deliveries: (path) => log.filter((d) => path === undefined || d.path === path),
    accepted: (path) => log.filter((d) => d.path === path && d.status >= 200 && d.status < 300),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
