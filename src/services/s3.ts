import fs from 'node:fs';
import path from 'node:path';
import * as Minio from 'minio';

export const S3_PORT = 9000;

export interface S3Connection {
  endPoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  useSSL?: boolean;
  region?: string;
}

/** Ready when the server lists its buckets for these credentials. */
export async function probeS3Store(conn: S3Connection): Promise<void> {
  await new Minio.Client({ ...conn, useSSL: conn.useSSL ?? false }).listBuckets();
}

/** An object store that answers: the minio client, and the lake operations labs need. */
export class StartedS3 {
  constructor(readonly connection: S3Connection) {}

  client(): Minio.Client {
    return new Minio.Client({ ...this.connection, useSSL: this.connection.useSSL ?? false });
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

  async listKeys(bucket: string, prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    for await (const obj of this.client().listObjectsV2(bucket, prefix, true)) if (obj.name) keys.push(obj.name);
    return keys.sort();
  }
}
