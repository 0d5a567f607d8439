import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { findExercise, loadLab } from '../lab/load.js';
import { getRuntime } from '../runtime/select.js';
import { restoreTemplates } from '../workspace/workspace.js';
import { holdLabData, requireUp, type CommandContext } from './context.js';
import { parseScale, parseSeed } from './up.js';

export interface ResetFlags {
  exercises?: boolean;
  seed?: string;
  scale?: string;
}

/** Data back to freshly seeded; learner files stay, unless --exercises, and then only after a backup. */
export async function resetCommand(ctx: CommandContext, labName: string, exerciseIds: string[], flags: ResetFlags): Promise<number> {
  const lab = await loadLab(labName);
  if (exerciseIds.length && !flags.exercises) {
    throw new LabError(`\`lab reset ${lab.name} ${exerciseIds.join(' ')}\` names exercises, but a reset without --exercises reseeds the data and leaves every file alone.`, `Restore those templates: \`lab reset ${lab.name} ${exerciseIds.join(' ')} --exercises\` (your files are backed up first); reseed the data: \`lab reset ${lab.name}\`.`);
  }
  const targets = exerciseIds.length ? exerciseIds.map((id) => findExercise(lab, id)) : lab.exercises;
  const labState = requireUp(ctx, lab);
  await holdLabData(ctx, lab, `lab reset ${lab.name}`, 'write');
  const seed = parseSeed(flags.seed) ?? labState.seed;
  const scale = parseScale(flags.scale) ?? labState.scale;
  const runtime = await getRuntime(labState.runtime, ctx.paths);

  ctx.output.info(pc.bold(`lab reset ${lab.name}`) + pc.dim(` · seed ${seed} · scale ${scale}`));
  await runtime.up(lab, { seed, scale, reseed: true, output: ctx.output });
  ctx.state.update((s) => {
    s.labs[lab.name] = { ...s.labs[lab.name]!, seed, scale, seededAt: new Date().toISOString() };
  });
  ctx.output.result(`${pc.green('✓')} ${lab.name} data is freshly seeded (seed ${seed}, ${scale})`);

  if (flags.exercises) {
    const { backupDir, restored } = restoreTemplates(ctx.paths, lab, targets);
    ctx.state.update((s) => {
      const progress = s.labs[lab.name]?.progress;
      if (progress) progress.passed = progress.passed.filter((id) => !targets.some((t) => t.id === id));
      for (const t of targets) delete s.hintsRevealed[`${lab.name}/${t.id}`];
    });
    ctx.output.result(`${pc.green('✓')} ${restored.length} exercise file${restored.length === 1 ? '' : 's'} restored from templates`);
    if (backupDir) ctx.output.result(`  your files were saved first in ${path.relative(process.cwd(), backupDir) || backupDir}/`);
  } else {
    ctx.output.result('  your workspace files were not touched (`--exercises` restores the templates, after a backup)');
  }
  return 0;
}
