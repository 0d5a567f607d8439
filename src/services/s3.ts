import fs from 'node:fs';
import path from 'node:path';
import * as Minio from 'minio';
import { z } from 'zod';
import { defineService } from './service.js';

export const S3_PORT = 9000;

export interface S3Connection {
  endPoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  useSSL?: boolean;
  region?: string;
  /** On a shared store (the remote runtime): the bucket the learner's prefix lives in. */
  bucket?: string;
}

function minioClient(conn: S3Connection): Minio.Client {
  const { bucket: _bucket, ...options } = conn;
  return new Minio.Client({ ...options, useSSL: conn.useSSL ?? false });
}

/** Ready when the server lists its buckets for these credentials. */
export async function probeS3Store(conn: S3Connection): Promise<void> {
  await minioClient(conn).listBuckets();
}

/** An object store that answers: the minio client, and the lake operations labs need. */
export class StartedS3 {
  constructor(readonly connection: S3Connection) {}

  client(): Minio.Client {
    return minioClient(this.connection);
  }

  async ensureBucket(bucket: string): Promise<void> {
    const client = this.client();
    if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket);
  }

  /** Uploads every file under `dir` to `bucket` under `prefix`, keeping the folder layout (dt=…/ partitions). */
  async uploadDirectory(bucket: string, dir: string, prefix = '', concurrency = 8): Promise<number> {
    const client = this.client();
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++]!;
        await client.fPutObject(bucket, `${prefix}${f.split(path.sep).join('/')}`, path.join(dir, f));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
    return files.length;
  }

  /** Whether the bucket exists and holds at least one object under the prefix. */
  async hasObjects(bucket: string, prefix = ''): Promise<boolean> {
    const client = this.client();
    if (!(await client.bucketExists(bucket))) return false;
    for await (const obj of client.listObjectsV2(bucket, prefix, true)) if (obj.name) return true;
    return false;
  }

  /** Removes every object under the prefix (a run's files); the bucket stays. */
  async removePrefix(bucket: string, prefix: string): Promise<number> {
    const keys = await this.listKeys(bucket, prefix);
    if (keys.length) await this.client().removeObjects(bucket, keys);
    return keys.length;
  }

  async listKeys(bucket: string, prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    for await (const obj of this.client().listObjectsV2(bucket, prefix, true)) if (obj.name) keys.push(obj.name);
    return keys.sort();
  }
}

const RemoteSection = z.object({ endpoint: z.string(), bucket: z.string(), region: z.string().optional() }).strict();
type RemoteSection = z.infer<typeof RemoteSection>;

export const s3Service = defineService({
  name: 'minio',
  role: 'objectStore',
  containerPort: S3_PORT,
  localImages: { 'minio/minio:RELEASE.2024-10-13T13-34-11Z': 'minio' },
  fromCompose: (at): S3Connection => ({ endPoint: at.host, port: at.port, accessKey: at.variable('LAB_S3_ACCESS_KEY'), secretKey: at.variable('LAB_S3_SECRET_KEY') }),
  remote: {
    key: 's3',
    schema: RemoteSection,
    location: ['LAB_REMOTE_S3_ENDPOINT', 'LAB_REMOTE_S3_BUCKET'],
    secrets: ['LAB_REMOTE_S3_ACCESS_KEY', 'LAB_REMOTE_S3_SECRET_KEY'],
    fromEnv(env, file): RemoteSection | undefined {
      if (!env.LAB_REMOTE_S3_ENDPOINT && !env.LAB_REMOTE_S3_BUCKET) return file;
      return { ...file, endpoint: env.LAB_REMOTE_S3_ENDPOINT ?? file?.endpoint ?? '', bucket: env.LAB_REMOTE_S3_BUCKET ?? file?.bucket ?? '' };
    },
    connect(section, env): S3Connection {
      const url = new URL(section.endpoint);
      return {
        endPoint: url.hostname,
        port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        useSSL: url.protocol === 'https:',
        accessKey: env.LAB_REMOTE_S3_ACCESS_KEY ?? '',
        secretKey: env.LAB_REMOTE_S3_SECRET_KEY ?? '',
        region: section.region,
        bucket: section.bucket,
      };
    },
    async clean(s3, names) {
      const bucket = s3.connection.bucket;
      if (!bucket) return [];
      const keys = await s3.listKeys(bucket, names.s3Prefix);
      if (!keys.length) return [];
      await s3.client().removeObjects(bucket, keys);
      return [`${keys.length} object${keys.length === 1 ? '' : 's'} under s3://${bucket}/${names.s3Prefix}`];
    },
  },
  probe: probeS3Store,
  where: (c) => `${c.useSSL ? 'https' : 'http'}://${c.endPoint}:${c.port}${c.bucket ? `/${c.bucket}` : ''}`,
  start: (c) => new StartedS3(c),
});
