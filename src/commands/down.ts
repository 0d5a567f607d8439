import pc from 'picocolors';
import { loadLab } from '../lab/load.js';
import { getRuntime } from '../runtime/select.js';
import type { CommandContext } from './context.js';

export async function downCommand(ctx: CommandContext, labName: string, flags: { purge?: boolean; volumes?: boolean }): Promise<number> {
  const lab = await loadLab(labName);
  const labState = ctx.state.lab(lab.name);
  if (!labState || labState.status !== 'up') {
    ctx.output.result(`${lab.name} is not up; nothing to stop.`);
    return 0;
  }
  await (await getRuntime(labState.runtime, ctx.paths)).down(lab, { purge: flags.purge, volumes: flags.volumes, output: ctx.output });
  ctx.state.update((s) => {
    s.labs[lab.name]!.status = 'down';
  });
  ctx.output.result(`${pc.green('✓')} ${lab.name} is down${flags.purge || flags.volumes ? ' and its data removed' : ' (data kept: `lab up` resumes quickly; `--volumes` or `--purge` removes it)'}`);
  ctx.output.result('  your workspace files were not touched');
  return 0;
}
