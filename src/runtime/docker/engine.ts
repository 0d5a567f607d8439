import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { LabError } from '../../errors.js';

export type EngineSource = 'DOCKER_HOST' | 'Docker socket' | 'Podman socket';

export interface EngineEndpoint {
  source: EngineSource;
  /** unix socket path, or host:port for a tcp DOCKER_HOST. */
  address: string;
  options: Docker.DockerOptions;
}

/** DOCKER_HOST first, then the Docker socket, then a rootful or rootless Podman socket. */
export function findEngine(env: NodeJS.ProcessEnv = process.env): EngineEndpoint | undefined {
  const host = env.DOCKER_HOST;
  if (host) {
    if (host.startsWith('unix://')) return { source: 'DOCKER_HOST', address: host.slice('unix://'.length), options: { socketPath: host.slice('unix://'.length) } };
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { source: 'DOCKER_HOST', address: `${url.hostname}:${url.port}`, options: { host: url.hostname, port: Number(url.port || 2375), protocol: 'http' } };
  }
  const runtimeDir = env.XDG_RUNTIME_DIR ?? `/run/user/${os.userInfo().uid}`;
  const candidates: Array<[EngineSource, string]> = [
    ['Docker socket', '/var/run/docker.sock'],
    ['Podman socket', path.join(runtimeDir, 'podman', 'podman.sock')],
    ['Podman socket', '/run/podman/podman.sock'],
  ];
  for (const [source, socket] of candidates) {
    if (fs.existsSync(socket)) return { source, address: socket, options: { socketPath: socket } };
  }
  return undefined;
}

const NO_ENGINE_HINT =
  'Start Docker (or Podman: `podman system service --time=0 unix:///run/podman/podman.sock &`, then export DOCKER_HOST=unix:///run/podman/podman.sock), or use the local runtime: `--runtime local`.';

/** A container engine that answered a ping: the one place dockerode is created. */
export class ConnectedEngine {
  constructor(
    readonly endpoint: EngineEndpoint,
    readonly docker: Docker,
    readonly version: { name: string; version: string; memTotalBytes: number },
  ) {}

  /**
   * A client for image builds and imports: no socket timeout, since a build step (apt-get on a busy
   * machine, a COPY of a large jar) may print nothing for minutes, and the 15 s timeout of the other
   * calls would abort it (Podman then reports the build as "aborted").
   */
  get builder(): Docker {
    return (this.#builder ??= new Docker({ ...this.endpoint.options }));
  }

  #builder?: Docker;

  /** The environment the compose CLI needs to reach the same engine. */
  composeEnv(): Record<string, string> {
    return { DOCKER_HOST: this.endpoint.options.socketPath ? `unix://${this.endpoint.options.socketPath}` : `tcp://${this.endpoint.address}` };
  }
}

export async function connectEngine(env: NodeJS.ProcessEnv = process.env): Promise<ConnectedEngine> {
  const endpoint = findEngine(env);
  if (!endpoint) throw new LabError('No container engine found (no DOCKER_HOST, no Docker or Podman socket).', NO_ENGINE_HINT);
  const docker = new Docker({ ...endpoint.options, timeout: 15_000 });
  try {
    await docker.ping();
  } catch (err) {
    throw new LabError(`The container engine at ${endpoint.address} (${endpoint.source}) does not answer: ${(err as Error).message.split('\n')[0]}.`, NO_ENGINE_HINT);
  }
  const [info, version] = await Promise.all([docker.info() as Promise<{ MemTotal?: number }>, docker.version()]);
  const name = (version.Components ?? []).some((c) => /podman/i.test(c.Name)) ? 'Podman' : 'Docker';
  return new ConnectedEngine(endpoint, docker, { name, version: version.Version, memTotalBytes: info.MemTotal ?? os.totalmem() });
}
