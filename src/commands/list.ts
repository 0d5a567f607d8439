import pc from 'picocolors';
import { listLabNames, loadLab, PLANNED_LABS } from '../lab/load.js';
import type { CommandContext } from './context.js';

export async function listCommand(ctx: CommandContext): Promise<number> {
  const state = ctx.state.read();
  ctx.output.result(pc.bold('lab       exercises  progress    status  title'));
  for (const name of listLabNames()) {
    const lab = await loadLab(name);
    const labState = state.labs[name];
    const passed = labState?.progress?.passed.filter((id) => lab.exercises.some((e) => e.id === id)).length ?? 0;
    const bar = labState?.progress ? `${passed}/${lab.exercises.length}` : `-/${lab.exercises.length}`;
    const status = labState?.status ?? '-';
    ctx.output.result(`${name.padEnd(9)} ${String(lab.exercises.length).padEnd(10)} ${bar.padEnd(11)} ${status.padEnd(7)} ${lab.def.title}`);
  }
  for (const [name, theme] of Object.entries(PLANNED_LABS)) {
    if (!listLabNames().includes(name)) ctx.output.result(pc.dim(`${name.padEnd(9)} ${'-'.padEnd(10)} ${'-'.padEnd(11)} planned ${theme}`));
  }
  ctx.output.result('');
  ctx.output.result(pc.dim('`lab up <lab>` starts a lab; `lab doctor` checks this machine first.'));
  return 0;
}
