import pc from 'picocolors';
import { findExercise, loadLab } from '../lab/load.js';
import type { CommandContext } from './context.js';

/** Progressive hints: each call reveals one more, like a patient colleague. */
export async function hintCommand(ctx: CommandContext, labName: string, exercise: string, flags: { all?: boolean }): Promise<number> {
  const lab = await loadLab(labName);
  const ex = findExercise(lab, exercise);
  const key = `${lab.name}/${ex.id}`;
  if (ex.hints.length === 0) {
    ctx.output.result(`${ex.id} has no hints. \`lab solution ${lab.name} ${ex.id}\` shows the reference solution.`);
    return 0;
  }
  const revealed = ctx.state.read().hintsRevealed[key] ?? 0;
  const upTo = flags.all ? Math.max(revealed, 1) : Math.min(revealed + 1, ex.hints.length);
  ctx.state.update((s) => {
    s.hintsRevealed[key] = upTo;
  });
  const from = flags.all ? 1 : upTo;
  ctx.output.result(pc.bold(`${ex.id} — ${ex.def.title}`));
  for (let n = from; n <= upTo; n++) {
    ctx.output.result('');
    ctx.output.result(pc.cyan(`Hint ${n} of ${ex.hints.length}`));
    ctx.output.result(ex.hints[n - 1]!);
  }
  ctx.output.result('');
  ctx.output.result(
    pc.dim(
      upTo < ex.hints.length
        ? `run \`lab hint ${lab.name} ${ex.id}\` again for the next hint (\`--all\` repeats the ones you have seen)`
        : `that was the last hint; \`lab solution ${lab.name} ${ex.id}\` shows the reference solution`,
    ),
  );
  return 0;
}
