import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { findExercise, loadLab } from '../lab/load.js';
import { applySolution } from '../workspace/workspace.js';
import type { CommandContext } from './context.js';

/** The reference is the answer: asked for on a terminal, or given with --yes. */
async function confirmSpoiler(lab: string, id: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  const hint = `\`lab diff ${lab} ${id}\` shows what differs first; \`lab solution ${lab} ${id} --yes\` prints the reference.`;
  if (!process.stdin.isTTY || !process.stderr.isTTY) throw new LabError(`This prints the whole reference solution of ${lab}/${id}: the answer.`, hint);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Print the whole reference solution of ${lab}/${id}? It gives the exercise away (\`lab diff ${lab} ${id}\` shows what differs). [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function solutionCommand(ctx: CommandContext, labName: string, exercise: string, flags: { apply?: boolean; engine?: string; yes?: boolean }): Promise<number> {
  const lab = await loadLab(labName);
  const ex = findExercise(lab, exercise);
  if (flags.engine) {
    const file = path.join(ex.dir, 'solution', flags.engine.toLowerCase(), ex.def.file);
    if (!fs.existsSync(file)) throw new LabError(`${lab.name}/${ex.id} has no reference in ${flags.engine}'s dialect.`, `Show the one the checks use: lab solution ${lab.name} ${ex.id}`);
    if (flags.apply) throw new LabError('--apply copies the reference the checks run; a reference in another dialect is shown only.', `Show it: lab solution ${lab.name} ${ex.id} --engine ${flags.engine}`);
    if (!(await confirmSpoiler(lab.name, ex.id, flags.yes))) return 0;
    ctx.output.info(pc.dim(`reference solution of ${lab.name}/${ex.id} in ${flags.engine}'s dialect (the same rows as the one \`lab check\` uses):`));
    ctx.output.result(fs.readFileSync(file, 'utf8').trimEnd());
    return 0;
  }
  if (!flags.apply) {
    if (!(await confirmSpoiler(lab.name, ex.id, flags.yes))) return 0;
    ctx.output.info(pc.dim(`reference solution of ${lab.name}/${ex.id} (\`--apply\` copies it into your workspace, backing up your file first):`));
    ctx.output.result(fs.readFileSync(ex.solutionFile, 'utf8').trimEnd());
    return 0;
  }
  const { backupDir, file } = applySolution(ctx.paths, lab, ex);
  ctx.output.result(`${pc.green('✓')} applied the reference solution to workspace/${file}`);
  if (backupDir) ctx.output.result(`  your previous file is saved in ${path.relative(process.cwd(), backupDir) || backupDir}/${file} (\`lab restore ${lab.name}\` puts it back)`);
  return 0;
}
