import pc from 'picocolors';
import { loadComposeFile } from '../runtime/docker/compose-file.js';
import { connectEngine } from '../runtime/docker/engine.js';
import { buildLocalImages } from '../runtime/docker/images.js';
import { formatMs } from '../ui/output.js';
import type { CommandContext } from './context.js';

/** Builds a lab's images from package registries only, for machines that cannot reach an image registry. */
export async function imagesBuildCommand(ctx: CommandContext, labName: string, services: string[], flags: { force?: boolean }): Promise<number> {
  const t0 = performance.now();
  const stack = loadComposeFile(labName);
  const engine = await connectEngine();
  ctx.output.info(`${pc.bold(`lab images build ${labName}`)} — on ${engine.version.name} ${engine.version.version} (${engine.endpoint.address})`);
  const images = await buildLocalImages(engine, stack, ctx.output, { force: flags.force, services });
  ctx.output.result(`${pc.green('✓')} ${images.length} local image${images.length === 1 ? '' : 's'} for ${labName} ready in ${formatMs(performance.now() - t0)}:`);
  for (const i of images) ctx.output.result(`  ${i.service.padEnd(12)} ${i.tag}  ${pc.dim(`(stands in for ${i.upstream})`)}`);
  ctx.output.result('');
  if (!services.length) ctx.output.result(`next: lab up ${labName} --runtime docker --local-images`);
  return 0;
}
