import net from 'node:net';
import { LabError } from '../../errors.js';
import { formatBytes, LAB_LABEL, PROJECT_LABEL, totalMemoryBytes, VERSION_LABEL, type ComposeStackFile, type PublishedPort } from './compose-file.js';
import type { ConnectedEngine } from './engine.js';

/** Resolves when the port can be bound on that address; rejects with the OS error (EADDRINUSE, …). */
function tryBind(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Host ports this project's own running containers already publish (a second `up` must not trip on them). */
async function portsHeldByProject(engine: ConnectedEngine, project: string): Promise<Set<number>> {
  const containers = await engine.docker.listContainers({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
  return new Set(containers.flatMap((c) => c.Ports.map((p) => p.PublicPort).filter((p): p is number => Boolean(p))));
}

export async function checkPorts(engine: ConnectedEngine, stack: ComposeStackFile): Promise<void> {
  const ours = await portsHeldByProject(engine, stack.project);
  for (const port of stack.services.flatMap((s) => s.ports)) {
    if (ours.has(port.hostPort)) continue;
    try {
      await tryBind(port.hostIp, port.hostPort);
    } catch (err) {
      throw portError(stack, port, err as NodeJS.ErrnoException);
    }
  }
}

function portError(stack: ComposeStackFile, port: PublishedPort, err: NodeJS.ErrnoException): LabError {
  const move = port.variable ? `move it: \`${port.variable}=${port.hostPort + 1} lab up ${stack.lab} --runtime docker\`` : 'change it in the compose file';
  if (err.code === 'EADDRINUSE') {
    return new LabError(`Port ${port.hostPort} on ${port.hostIp}, wanted by ${port.service}, is already in use.`, `Stop what listens there (\`ss -ltnp 'sport = :${port.hostPort}'\` shows it), or ${move}.`);
  }
  return new LabError(`Port ${port.hostPort} on ${port.hostIp}, wanted by ${port.service}, cannot be bound: ${err.code ?? err.message}.`, `Use another port: ${move}.`);
}

export function checkMemory(engine: ConnectedEngine, stack: ComposeStackFile): void {
  const needed = totalMemoryBytes(stack);
  const have = engine.version.memTotalBytes;
  if (needed > have) {
    throw new LabError(
      `${stack.lab}'s stack needs ${formatBytes(needed)} (the sum of its services' memory limits), but the ${engine.version.name} engine has ${formatBytes(have)}.`,
      `Give the engine at least ${formatBytes(needed + 1024 ** 3)}: Docker Desktop → Settings → Resources → Memory, or \`podman machine set --memory ${Math.ceil((needed + 1024 ** 3) / 1024 ** 2)}\`; or use \`--runtime local\`.`,
    );
  }
}

/** Volumes an older version of the lab left behind would meet today's services with a layout they do not expect. */
export async function checkVolumes(engine: ConnectedEngine, stack: ComposeStackFile): Promise<void> {
  const { Volumes } = await engine.docker.listVolumes({ filters: { label: [`${PROJECT_LABEL}=${stack.project}`] } });
  for (const volume of Volumes ?? []) {
    const short = volume.Name.replace(new RegExp(`^${stack.project}_`), '');
    const expected = stack.volumes.find((v) => v.name === short)?.version;
    const found = volume.Labels?.[VERSION_LABEL];
    if (expected && found !== expected && volume.Labels?.[LAB_LABEL] !== undefined) {
      throw new LabError(
        `Volume ${volume.Name} was created by an older version of ${stack.lab} (data version ${found ?? 'unknown'}, this version uses ${expected}).`,
        `Reset it: \`lab down ${stack.lab} --volumes\` then \`lab up ${stack.lab} --runtime docker\` (your workspace files are kept).`,
      );
    }
  }
}

export async function preflight(engine: ConnectedEngine, stack: ComposeStackFile): Promise<void> {
  checkMemory(engine, stack);
  await checkPorts(engine, stack);
  await checkVolumes(engine, stack);
}
