import net from 'node:net';

/** Protocol-level readiness shared by the service modules that speak plain HTTP or gRPC. */

/** Ready when an HTTP endpoint answers without a server error. */
export async function probeHttp(url: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(3_000) });
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
