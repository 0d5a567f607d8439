import * as Minio from 'minio';
import { BasicAuth, Trino } from 'trino-client';

/** Protocol-level readiness for the services that have no client module of their own yet. */

export async function probeS3(conn: { endPoint: string; port: number; accessKey: string; secretKey: string }): Promise<void> {
  const client = new Minio.Client({ ...conn, useSSL: false });
  await client.listBuckets();
}

export async function probeTrino(conn: { server: string; user: string; password?: string }): Promise<void> {
  const trino = Trino.create({ server: conn.server, auth: conn.password ? new BasicAuth(conn.user, conn.password) : new BasicAuth(conn.user) });
  const iter = await trino.query('SELECT 1');
  for await (const result of iter) {
    if (result.error) throw new Error(result.error.message);
  }
}

export async function probeWeaviate(conn: { url: string }): Promise<void> {
  const res = await fetch(new URL('/v1/.well-known/ready', conn.url), { signal: AbortSignal.timeout(3_000) });
  if (!res.ok) throw new Error(`ready endpoint answered ${res.status}`);
}

export async function probeHttp(url: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  if (res.status >= 500) throw new Error(`${url} answered ${res.status}`);
}
