import pc from 'picocolors';
import { listLabNames, loadLab } from '../lab/load.js';
import { getRuntime } from '../runtime/select.js';
import type { CommandContext } from './context.js';

export async function statusCommand(ctx: CommandContext, labName: string | undefined): Promise<number> {
  const state = ctx.state.read();
  const names = labName ? [(await loadLab(labName)).name] : listLabNames().filter((n) => state.labs[n]);
  if (names.length === 0) {
    ctx.output.result('No lab has been started yet. `lab list` shows the labs; `lab up month1` starts the first.');
    return 0;
  }
  for (const name of names) {
    const lab = await loadLab(name);
    const labState = state.labs[name];
    if (!labState) {
      ctx.output.result(`${pc.bold(name)}  ${pc.dim('never started')} — \`lab up ${name}\``);
      continue;
    }
    const badge = labState.status === 'up' ? pc.green('up') : pc.yellow('down');
    const progress = labState.progress ? `${labState.progress.passed.length}/${lab.exercises.length} passed` : 'not checked yet';
    ctx.output.result(`${pc.bold(name)}  ${badge}  ${labState.runtime} runtime · seed ${labState.seed} (${labState.scale}) · ${progress}`);
    for (const s of await (await getRuntime(labState.runtime, ctx.paths)).status(lab)) {
      // A lab that is down serves nothing: what it kept on disk is kept, not ready.
      const state = labState.status === 'up' ? s.state : s.state === 'ready' ? 'kept' : s.state;
      const mark = state === 'ready' ? pc.green('●') : state === 'kept' ? pc.dim('○') : pc.red('○');
      ctx.output.result(`  ${mark} ${s.service.padEnd(22)} ${s.role.padEnd(12)} ${state.padEnd(8)} ${pc.dim(s.detail)}`);
    }
    if (labState.status !== 'up') ctx.output.result(pc.dim(`  \`lab up ${name}\` resumes it; \`lab down ${name} --purge\` deletes what it kept`));
  }
  return 0;
}
