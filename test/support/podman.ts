import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A Podman engine serving the Docker API on a socket of its own, started (and stopped) by the test. */
export interface PodmanEngine {
  socket: string;
  /** Environment for the `lab` CLI and compose: DOCKER_HOST and the Podman settings of DESIGN.md. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Why a Podman engine cannot run here, or undefined when it can. */
export function podmanUnavailable(): string | undefined {
  if (spawnSync('podman', ['--version']).status !== 0) return 'podman is not installed (apt-get install podman runc)';
  if (spawnSync('docker-compose', ['version']).status !== 0 && spawnSync('docker', ['compose', 'version']).status !== 0) return 'no compose CLI (apt-get install docker-compose)';
  if (spawnSync('debootstrap', ['--version']).status !== 0) return 'debootstrap is not installed (apt-get install debootstrap)';
  if (process.getuid?.() !== 0) return 'not root: the local images need debootstrap, which needs root';
  return undefined;
}

function waitForSocket(socket: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(socket, () => {
        s.end();
        resolve();
      });
      s.on('error', () => (Date.now() > deadline ? reject(new Error(`podman did not open ${socket}`)) : setTimeout(attempt, 200)));
    };
    attempt();
  });
}

export async function startPodman(): Promise<PodmanEngine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-podman-'));
  const conf = path.join(dir, 'containers.conf');
  // DESIGN.md: no ulimits to inherit in this sandbox, and runc as the OCI runtime.
  fs.writeFileSync(conf, '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n');
  const socket = path.join(dir, 'podman.sock');
  const env = { CONTAINERS_CONF: conf };
  const child: ChildProcess = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    await waitForSocket(socket, 30_000);
  } catch (err) {
    child.kill('SIGTERM');
    throw new Error(`${(err as Error).message}: ${stderr.slice(-500)}`);
  }
  return {
    socket,
    env: { ...env, DOCKER_HOST: `unix://${socket}` },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
