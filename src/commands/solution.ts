import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { findExercise, loadLab } from '../lab/load.js';
import { applySolution } from '../workspace/workspace.js';
import type { CommandContext } from './context.js';

export async function solutionCommand(ctx: CommandContext, labName: string, exercise: string, flags: { apply?: boolean; engine?: string }): Promise<number> {
  const lab = await loadLab(labName);
  const ex = findExercise(lab, exercise);
  if (flags.engine) return showEngineReference(ctx, lab.name, ex.id, path.join(ex.dir, 'solution', flags.engine.toLowerCase(), ex.def.file), flags);
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

/** The same model in another engine's dialect (month4: Trino, which runs it on the docker runtime). */
function showEngineReference(ctx: CommandContext, lab: string, id: string, file: string, flags: { apply?: boolean; engine?: string }): number {
  if (!fs.existsSync(file)) throw new LabError(`${lab}/${id} has no reference in ${flags.engine}'s dialect.`, `Show the one the checks use: lab solution ${lab} ${id}`);
  if (flags.apply) throw new LabError('--apply copies the reference the checks run; a reference in another dialect is shown only.', `Show it: lab solution ${lab} ${id} --engine ${flags.engine}`);
  ctx.output.info(pc.dim(`reference solution of ${lab}/${id} in ${flags.engine}'s dialect (the same rows as the one \`lab check\` uses):`));
  ctx.output.result(fs.readFileSync(file, 'utf8').trimEnd());
  return 0;
}
