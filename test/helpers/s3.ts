// s3rver (a local S3 stand-in) on 127.0.0.1 with one bucket, and a client for reading what was pushed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** Settings for the server: the target and the standard AWS credential variables. */
  env: Record<string, string>;
  keys(): Promise<string[]>;
  head(key: string): Promise<{ contentType?: string; cacheControl?: string } | null>;
  text(key: string): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'status-mirror'): Promise<LocalS3> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return {
    endpoint,
    bucket,
    env: { STATIC_EXPORT_S3_BUCKET: bucket, STATIC_EXPORT_S3_ENDPOINT: endpoint, STATIC_EXPORT_S3_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    async keys() {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        out.push(...(r.Contents ?? []).map((c) => c.Key!));
        token = r.NextContinuationToken;
      } while (token);
      return out.sort();
    },
    async head(key) {
      try {
        const r = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { contentType: r.ContentType, cacheControl: r.CacheControl };
      } catch {
        return null;
      }
    },
    async text(key) {
      return (await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString());
    },
    async close() {
      client.destroy();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
