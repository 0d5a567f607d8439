import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { backupFiles } from '../workspace/workspace.js';
import type { CommandContext } from './context.js';

/** The files of a lab in one backup folder, workspace-relative (`month1/03-…/query.sql`). */
function filesOf(backup: string, lab: string): string[] {
  const dir = path.join(backup, lab);
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => [lab, ...f.split(path.sep)].join('/')).sort();
}

/** Puts back the learner's files from workspace/.backup/<stamp>/, after backing up the files it replaces. */
export async function restoreCommand(ctx: CommandContext, labName: string, stamp: string | undefined, flags: { list?: boolean }): Promise<number> {
  const lab = await loadLab(labName);
  const root = path.join(ctx.paths.workspaceRoot, '.backup');
  const backups = (fs.existsSync(root) ? fs.readdirSync(root) : []).filter((b) => filesOf(path.join(root, b), lab.name).length).sort();
  if (flags.list) {
    if (!backups.length) ctx.output.result(`No backup holds files of ${lab.name} (they are made by \`lab solution --apply\` and \`lab reset --exercises\`).`);
    for (const b of backups) ctx.output.result(`${b}  ${pc.dim(filesOf(path.join(root, b), lab.name).join(', '))}`);
    return 0;
  }
  if (!backups.length) throw new LabError(`No backup holds files of ${lab.name}.`, 'Backups are made when `lab solution --apply` or `lab reset --exercises` replace your files.');
  const chosen = stamp ?? backups.at(-1)!;
  if (!backups.includes(chosen)) throw new LabError(`No backup '${chosen}' with files of ${lab.name}.`, `Backups: ${backups.join(', ')} (\`lab restore ${lab.name} --list\` shows their files).`);
  const files = filesOf(path.join(root, chosen), lab.name);
  // What is there now is kept too: a restore can be undone with the next restore.
  const saved = backupFiles(ctx.paths, files);
  for (const rel of files) {
    const target = path.join(ctx.paths.workspaceRoot, ...rel.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(root, chosen, ...rel.split('/')), target);
  }
  ctx.output.result(`${pc.green('✓')} restored ${files.length} file${files.length === 1 ? '' : 's'} from workspace/.backup/${chosen}/: ${files.join(', ')}`);
  if (saved) ctx.output.result(`  the files they replaced are saved in ${path.relative(process.cwd(), saved) || saved}/`);
  return 0;
}
