import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { DockerRuntime } from '../runtime/docker/docker-runtime.js';
import type { CommandContext } from './context.js';

/** A service's output from the engine (docker runtime); the local runtime has no long-running services to read. */
export async function logsCommand(ctx: CommandContext, labName: string, service: string | undefined, flags: { follow?: boolean; tail?: string }): Promise<number> {
  const lab = await loadLab(labName);
  const labState = ctx.state.lab(lab.name);
  if (labState?.runtime !== 'docker') {
    throw new LabError(`${lab.name} is not running on the docker runtime, so it has no service logs.`, `Logs come from containers: \`lab up ${lab.name} --runtime docker\`.`);
  }
  const stack = await new DockerRuntime(ctx.paths).composeStack(lab.name).attach();
  const services = service ? [stack.service(service).name] : stack.stack.services.map((s) => s.name);
  const tail = flags.tail ? Number(flags.tail) : 100;
  if (flags.follow && services.length > 1) {
    throw new LabError('--follow streams one service at a time.', `Name it: \`lab logs ${lab.name} ${services[0]} -f\` (services: ${services.join(', ')}).`);
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  for (const name of services) {
    if (services.length > 1) ctx.output.result(`── ${name} ──`);
    await stack.streamLogs(name, { follow: flags.follow, tail, write: (t) => process.stdout.write(t), signal: controller.signal });
  }
  return 0;
}
