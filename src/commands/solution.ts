import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { findExercise, loadLab } from '../lab/load.js';
import { applySolution } from '../workspace/workspace.js';
import type { CommandContext } from './context.js';

export async function solutionCommand(ctx: CommandContext, labName: string, exercise: string, flags: { apply?: boolean }): Promise<number> {
  const lab = await loadLab(labName);
  const ex = findExercise(lab, exercise);
  if (!flags.apply) {
    ctx.output.info(pc.dim(`reference solution of ${lab.name}/${ex.id} (\`--apply\` copies it into your workspace, backing up your file first):`));
    ctx.output.result(fs.readFileSync(ex.solutionFile, 'utf8').trimEnd());
    return 0;
  }
  const { backupDir, file } = applySolution(ctx.paths, lab, ex);
  ctx.output.result(`${pc.green('✓')} applied the reference solution to workspace/${file}`);
  if (backupDir) ctx.output.result(`  your previous file is saved in ${path.relative(process.cwd(), backupDir) || backupDir}/${file}`);
  return 0;
}
