import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import fs from 'node:fs';
import { DockerRuntime } from '../runtime/docker/docker-runtime.js';
import { LocalRuntime } from '../runtime/local/local-runtime.js';
import type { CommandContext } from './context.js';

/** The last lines of a file, then (with --follow) what is appended to it, until Ctrl-C. */
async function printLog(file: string, tail: number, follow: boolean | undefined): Promise<void> {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new LabError(`No log at ${file} yet.`, 'It is written once the service has started: `lab up` starts it.');
  }
  const lines = text.split('\n');
  process.stdout.write(`${lines.slice(-tail - 1).join('\n')}`);
  if (!follow) return;
  let size = Buffer.byteLength(text);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = fs.statSync(file).size;
      if (now > size) {
        const fd = fs.openSync(file, 'r');
        const chunk = Buffer.alloc(now - size);
        fs.readSync(fd, chunk, 0, chunk.length, size);
        fs.closeSync(fd);
        process.stdout.write(chunk.toString());
      }
      size = now;
    }, 300);
    process.once('SIGINT', () => {
      clearInterval(timer);
      resolve();
    });
  });
}

/** A service's output: a container's from the engine (docker runtime), or a local process's log file. */
export async function logsCommand(ctx: CommandContext, labName: string, service: string | undefined, flags: { follow?: boolean; tail?: string }): Promise<number> {
  const lab = await loadLab(labName);
  const labState = ctx.state.lab(lab.name);
  if (labState?.runtime === 'local' || !labState) {
    const logs = new LocalRuntime(ctx.paths).logFiles(lab);
    if (logs.length === 0) throw new LabError(`${lab.name} runs no service process on the local runtime (its engines run inside lab itself), so there are no logs.`, `Service logs come from month5's broker and Redis, or from containers: \`lab up ${lab.name} --runtime docker\`.`);
    const chosen = service ? logs.filter((l) => l.service === service) : logs;
    if (chosen.length === 0) throw new LabError(`${lab.name} has no service '${service}'.`, `Its services: ${logs.map((l) => l.service).join(', ')}.`);
    if (flags.follow && chosen.length > 1) throw new LabError('--follow streams one service at a time.', `Name it: \`lab logs ${lab.name} ${chosen[0]!.service} -f\` (services: ${chosen.map((l) => l.service).join(', ')}).`);
    for (const l of chosen) {
      if (chosen.length > 1) ctx.output.result(`── ${l.service} ──`);
      await printLog(l.file, flags.tail ? Number(flags.tail) : 100, flags.follow);
    }
    return 0;
  }
  if (labState.runtime !== 'docker') {
    throw new LabError(`${lab.name} runs on the ${labState.runtime} runtime, whose services' logs are kept where they run.`, `Logs come from containers or local processes: \`lab up ${lab.name} --runtime docker\`.`);
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
