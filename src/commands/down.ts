import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { loadLab } from '../lab/load.js';
import { getRuntime } from '../runtime/select.js';
import { holdLabData, type CommandContext } from './context.js';

export async function downCommand(ctx: CommandContext, labName: string, flags: { purge?: boolean; volumes?: boolean }): Promise<number> {
  const lab = await loadLab(labName);
  const labState = ctx.state.lab(lab.name);
  const removesData = Boolean(flags.purge || flags.volumes);
  if (!labState || labState.status !== 'up') {
    if (!removesData) {
      ctx.output.result(`${lab.name} is not up; nothing to stop.`);
      return 0;
    }
    // Already down: --purge still deletes the data it kept, and says what went.
    await holdLabData(ctx, lab, `lab down ${lab.name} --purge`, 'write');
    const dir = path.join(ctx.paths.home, lab.name);
    const kept = fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => d !== 'locks') : [];
    if (labState && kept.includes(labState.runtime)) await (await getRuntime(labState.runtime, ctx.paths)).down(lab, { purge: true, volumes: flags.volumes, output: ctx.output });
    for (const d of kept) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
    ctx.output.result(kept.length ? `${pc.green('✓')} ${lab.name} was already down; removed its data: ${kept.map((d) => path.relative(process.cwd(), path.join(dir, d)) || d).join(', ')}` : `${lab.name} is not up and holds no data; nothing to remove.`);
    ctx.output.result('  your workspace files were not touched');
    return 0;
  }
  await holdLabData(ctx, lab, `lab down ${lab.name}`, 'write');
  await (await getRuntime(labState.runtime, ctx.paths)).down(lab, { purge: flags.purge, volumes: flags.volumes, output: ctx.output });
  ctx.state.update((s) => {
    s.labs[lab.name]!.status = 'down';
  });
  ctx.output.result(`${pc.green('✓')} ${lab.name} is down${removesData ? ' and its data removed' : ' (data kept: `lab up` resumes quickly; `--volumes` or `--purge` removes it)'}`);
  ctx.output.result('  your workspace files were not touched');
  return 0;
}
