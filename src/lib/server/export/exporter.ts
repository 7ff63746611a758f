// One export: every public path rendered through the app (settled pages reused), Astro's static files copied,
// the manifest and host files written, then the new version swapped in.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RenderedResponse } from '../cache/response-cache.ts';
import type { StatusModel } from '../status-data/status-model.ts';
import { exportEntries, isFormPage, NOT_FOUND_PATH } from './export-paths.ts';
import { exportFingerprint } from './export-fingerprint.ts';
import {
  assetHeaders, headersFile, keptHeaders, MANIFEST_FILE, mirrorCsp, redirectsFile,
  type ExportManifest, type ExportStats, type ManifestFile,
} from './export-manifest.ts';
import { beginVersion, currentVersion, prepareExportDir, type ExportLayout } from './export-swap.ts';

/** What the exporter needs from the running app. */
export interface ExportSource {
  /**
   * The identity response for a live path, as readers get it. `store`: keep it for readers too (pages that read
   * the clock, so readers in the same minute get the exported bytes; settled pages are the same whenever rendered).
   */
  render(pathAndQuery: string, options?: { store?: boolean }): Promise<RenderedResponse>;
  /** The read model the renders see (after the app has loaded). */
  model(): Promise<StatusModel>;
  /** The public data version, or null before the app has loaded. */
  dataVersion(): string | null;
}

export interface ExporterOptions {
  dir: string;
  source: ExportSource;
  /** Astro's client build (dist/client): copied as it is. */
  assetsDir: string;
  /** SITE_URL, when set; else site.yaml's url is the live site. */
  siteUrl?: string | undefined;
  /** The public Cache-Control every rendered file is served with. */
  cacheControl: string;
  concurrency?: number;
  now?: () => number;
}

export interface Exporter {
  layout: ExportLayout;
  /** Writes one complete version; `full` renders even settled pages. Throws, leaving the current copy, on failure. */
  run(options?: { full?: boolean }): Promise<ExportManifest>;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...listFiles(root, r));
    else if (d.isFile()) out.push(r);
  }
  return out;
}

/** Creates the exporter after checking the folder (throws ExportDirError for a folder that is not ours). */
export function createExporter(o: ExporterOptions): Exporter {
  const layout = prepareExportDir(o.dir);
  const now = o.now ?? Date.now;
  let fingerprints = new Map<string, string>();

  async function run(options: { full?: boolean } = {}): Promise<ExportManifest> {
    const started = now();
    if (o.source.dataVersion() === null) await o.source.render('/');
    const dataVersion = o.source.dataVersion();
    const model = await o.source.model();
    const liveOrigin = new URL(o.siteUrl ?? model.site.url).origin;
    const baseUrl = (o.siteUrl ?? model.site.url).replace(/\/+$/, '');
    const previous = currentVersion(layout);
    const writer = beginVersion(layout, previous);
    const headerSets: Record<string, string>[] = [];
    const setIndex = new Map<string, number>();
    const files: Record<string, ManifestFile> = {};
    const nextFingerprints = new Map<string, string>();
    const stats = { written: 0, rendered: 0, reused: 0 };
    const carried = new Map<number, number>();
    const indexOf = (h: Record<string, string>): number => {
      const key = JSON.stringify(Object.entries(h).sort());
      let i = setIndex.get(key);
      if (i === undefined) {
        i = headerSets.push(h) - 1;
        setIndex.set(key, i);
      }
      return i;
    };
    const put = (file: string, servedAs: string | null, body: Buffer, headers: Record<string, string>): void => {
      const digest = sha256(body);
      if (writer.put(file, body, digest)) stats.written++;
      files[file] = { path: servedAs, sha256: digest, bytes: body.length, headers: indexOf(headers) };
    };
    try {
      const entries = exportEntries(model, started);
      let next = 0;
      let failure: Error | null = null;
      const work = async (): Promise<void> => {
        for (let i = next++; i < entries.length && !failure; i = next++) {
          const e = entries[i]!;
          const fp = exportFingerprint(model, e.path, started, baseUrl);
          const old = previous?.manifest.files[e.file];
          if (fp !== null) nextFingerprints.set(e.path, fp);
          if (!options.full && fp !== null && old && fingerprints.get(e.path) === fp && (await writer.reuse(e.file))) {
            stats.reused++;
            let headers = carried.get(old.headers);
            if (headers === undefined) carried.set(old.headers, (headers = indexOf(previous!.manifest.headerSets[old.headers] ?? {})));
            files[e.file] = { ...old, headers };
            continue;
          }
          const r = await o.source.render(e.path, { store: fp === null });
          stats.rendered++;
          if (r.status >= 500) {
            failure = new Error(`${e.path} answered ${r.status}`);
            return;
          }
          // Gone since the list was made (the data moved on: another export follows), or not a page at all.
          if (r.status !== 200 && !(e.path === NOT_FOUND_PATH && r.status === 404)) continue;
          const headers = keptHeaders({ ...r.headers, 'cache-control': o.cacheControl });
          if (isFormPage(e.path) && headers['content-security-policy']) headers['content-security-policy'] = mirrorCsp(headers['content-security-policy'], liveOrigin);
          put(e.file, e.path === NOT_FOUND_PATH ? '/404.html' : e.path, r.body, headers);
        }
      };
      await Promise.all(Array.from({ length: o.concurrency ?? 4 }, work));
      if (failure) throw failure;
      for (const file of listFiles(o.assetsDir)) {
        if (files[file]) continue;
        put(file, `/${file}`, fs.readFileSync(path.join(o.assetsDir, file)), assetHeaders(file));
      }
      put('_headers', null, Buffer.from(headersFile(files, headerSets)), assetHeaders('_headers.txt'));
      put('_redirects', null, Buffer.from(redirectsFile()), assetHeaders('_redirects.txt'));
      const removed = Object.keys(previous?.manifest.files ?? {}).filter((f) => !files[f]).length;
      const total = Object.values(files).reduce((n, f) => n + f.bytes, 0);
      const exportStats: ExportStats = {
        version: writer.number, startedAt: new Date(started).toISOString(), durationMs: 0,
        files: Object.keys(files).length + 1, bytes: total, written: stats.written + 1, removed, rendered: stats.rendered, reused: stats.reused,
      };
      const manifest: ExportManifest = { format: 1, liveOrigin, dataVersion, stats: exportStats, headerSets, files };
      exportStats.durationMs = now() - started;
      const body = Buffer.from(JSON.stringify(manifest));
      writer.put(MANIFEST_FILE, body, sha256(body));
      const pruned = writer.commit();
      fingerprints = nextFingerprints;
      await pruned;
      return manifest;
    } catch (e) {
      writer.abort();
      throw e;
    }
  }

  return { layout, run };
}
