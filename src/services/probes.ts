import net from 'node:net';

/** Protocol-level readiness for the services that have no client module of their own yet. */

export async function probeWeaviate(conn: { url: string }): Promise<void> {
  const res = await fetch(new URL('/v1/.well-known/ready', conn.url), { signal: AbortSignal.timeout(3_000) });
  if (!res.ok) throw new Error(`ready endpoint answered ${res.status}`);
}

export async function probeHttp(url: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  if (res.status >= 500) throw new Error(`${url} answered ${res.status}`);
}

/** The weakest probe, for a service with no cheaper protocol call (Spark Connect's gRPC port): it accepts a connection. */
export function probeTcp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: 2_000 }, () => {
      socket.end();
      resolve();
    });
    socket.on('error', reject);
    socket.on('timeout', () => {
      socket.destroy();
      reject(new Error(`no answer on ${host}:${port}`));
    });
  });
}
