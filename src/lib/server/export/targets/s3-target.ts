// Pushes the copy to S3-compatible object storage: each object with the Content-Type and Cache-Control the live
// site sends, only objects that changed since the last push uploaded, objects of removed pages deleted. What the
// bucket holds is read from the manifest stored beside the objects, uploaded last.
import fs from 'node:fs';
import path from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_FILE, type ExportManifest } from '../export-manifest.ts';
import { diffManifests, type MirrorTarget } from './mirror-target.ts';

export interface S3TargetOptions {
  bucket: string;
  /** Key prefix, '' or ending in '/'. */
  prefix: string;
  /** For S3-compatible stores; path-style addressing is used then. */
  endpoint?: string | undefined;
  region?: string | undefined;
  concurrency?: number;
}

/**
 * The object key of a file: pages under their live path without .html (incidents/x, history/page/2), so S3
 * static website hosting serves the site's links as they are; index.html, 404.html and other files as named.
 */
export function objectKey(file: string, servedAs: string | null): string {
  if (servedAs !== null && file.endsWith('.html') && file !== 'index.html' && file !== '404.html') return file.slice(0, -'.html'.length);
  return file;
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message || (e as { code?: string }).code || 'failed'}`;
  return String(e);
}

/** An S3 bucket as a mirror target (credentials from the standard AWS environment variables). */
export function s3Target(o: S3TargetOptions): MirrorTarget {
  const client = new S3Client({
    region: o.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true } : {}),
    maxAttempts: 2,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const key = (name: string): string => `${o.prefix}${name}`;
  return {
    id: 's3',
    label: `S3 bucket ${o.bucket}${o.prefix ? `/${o.prefix}` : ''}${o.endpoint ? ` at ${o.endpoint}` : ''}`,
    async push(versionDir, manifest, signal) {
      try {
        let held: ExportManifest | null = null;
        try {
          const r = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: key(MANIFEST_FILE) }), { abortSignal: signal });
          held = JSON.parse(await r.Body!.transformToString()) as ExportManifest;
        } catch (e) {
          if ((e as { name?: string }).name !== 'NoSuchKey') throw e;
        }
        const { changed, removed } = diffManifests(held, manifest);
        // Assets first, so a new page never references a stylesheet that is not there yet.
        const uploads = changed.filter((f) => manifest.files[f]!.path !== null).sort((a, b) => Number(!a.startsWith('_astro/')) - Number(!b.startsWith('_astro/')));
        let next = 0;
        const work = async (): Promise<void> => {
          for (let i = next++; i < uploads.length; i = next++) {
            const file = uploads[i]!;
            const f = manifest.files[file]!;
            const h = manifest.headerSets[f.headers] ?? {};
            await client.send(new PutObjectCommand({
              Bucket: o.bucket, Key: key(objectKey(file, f.path)), Body: fs.readFileSync(path.join(versionDir, file)),
              ContentType: h['content-type'], CacheControl: h['cache-control'],
            }), { abortSignal: signal });
          }
        };
        await Promise.all(Array.from({ length: o.concurrency ?? 8 }, work));
        const gone = removed.filter((f) => held!.files[f]!.path !== null).map((f) => key(objectKey(f, held!.files[f]!.path)));
        for (let i = 0; i < gone.length; i += 1000) {
          const r = await client.send(new DeleteObjectsCommand({ Bucket: o.bucket, Delete: { Objects: gone.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }), { abortSignal: signal });
          if (r.Errors && r.Errors.length > 0) throw new Error(`deleting ${r.Errors[0]!.Key}: ${r.Errors[0]!.Message ?? r.Errors[0]!.Code}`);
        }
        if (uploads.length === 0 && gone.length === 0 && held) return 'up to date';
        await client.send(new PutObjectCommand({
          Bucket: o.bucket, Key: key(MANIFEST_FILE), Body: fs.readFileSync(path.join(versionDir, MANIFEST_FILE)),
          ContentType: 'application/json; charset=utf-8', CacheControl: 'no-cache',
        }), { abortSignal: signal });
        return `uploaded ${uploads.length}, deleted ${gone.length}, ${Object.keys(manifest.files).length - uploads.length} unchanged`;
      } catch (e) {
        throw new Error(`S3 ${o.bucket}: ${describe(e)}`, { cause: e });
      }
    },
  };
}
