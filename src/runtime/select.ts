import { LabError } from '../errors.js';
import type { RuntimeName } from '../lab/define.js';
import type { LabPaths } from '../paths.js';
import { LocalRuntime } from './local/local-runtime.js';
import type { Runtime } from './runtime.js';

const RUNTIMES: RuntimeName[] = ['local', 'docker', 'remote'];

/** --runtime beats LAB_RUNTIME beats the saved preference; local is the default everywhere. */
export function chooseRuntimeName(flag: string | undefined, preference: RuntimeName | undefined): RuntimeName {
  const chosen = flag ?? process.env.LAB_RUNTIME ?? preference ?? 'local';
  if (!RUNTIMES.includes(chosen as RuntimeName)) {
    throw new LabError(`Unknown runtime '${chosen}'.`, `Use one of: ${RUNTIMES.join(', ')}.`);
  }
  return chosen as RuntimeName;
}

export interface RuntimeOptions {
  /** docker: run images built by `lab images build` instead of pulling upstream ones. */
  localImages?: boolean;
}

/** The container runtimes load on demand: a local-runtime command never pays for dockerode, minio or kafkajs. */
export async function getRuntime(name: RuntimeName, paths: LabPaths, opts: RuntimeOptions = {}): Promise<Runtime> {
  if (name === 'local') return new LocalRuntime(paths);
  if (name === 'docker') return new (await import('./docker/docker-runtime.js')).DockerRuntime(paths, opts);
  return new (await import('./remote/remote-runtime.js')).RemoteRuntime(paths);
}
