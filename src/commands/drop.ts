import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { bronzeDir, BRONZE_SOURCES } from '../../datasets/lakehouse/bronze.js';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { attachStack, type CommandContext } from './context.js';

/** Lands the next day's drop (waiting in the lake's incoming/ folder) in bronze, as the nightly export would. */
export async function dropCommand(ctx: CommandContext, labName: string): Promise<number> {
  const lab = await loadLab(labName);
  const { stack } = await attachStack(ctx, lab);
  const dataset = stack.datasets[0]!;
  if (!lab.def.nextDrop) throw new LabError(`${lab.name} has no lake: its data does not arrive in daily drops.`, '`lab drop` is for the lakehouse lab (month4).');
  const lake = path.join(dataset.dir, 'lake');
  const day = lab.def.nextDrop(dataset.dir)?.day;
  if (!day) throw new LabError('No new drop is waiting: the next day has already landed.', `\`lab reset ${lab.name}\` puts the data back as seeded (your files are kept), with the drop waiting again.`);
  const landed: string[] = [];
  for (const source of BRONZE_SOURCES) {
    const from = path.join(bronzeDir(lake, source, 'incoming'), `dt=${day}`);
    if (!fs.existsSync(from)) continue;
    fs.renameSync(from, path.join(bronzeDir(lake, source), `dt=${day}`));
    const lines = fs.readdirSync(path.join(bronzeDir(lake, source), `dt=${day}`)).reduce((n, f) => n + fs.readFileSync(path.join(bronzeDir(lake, source), `dt=${day}`, f), 'utf8').split('\n').filter(Boolean).length, 0);
    landed.push(`${lines.toLocaleString('en-US')} ${source.replace('_', ' ')}`);
  }
  fs.rmSync(path.join(lake, 'incoming'), { recursive: true, force: true });
  // Grades and reference tables were computed on yesterday's bronze.
  fs.rmSync(dataset.cacheDir, { recursive: true, force: true });
  ctx.output.result(`${pc.green('✓')} the drop of ${day} landed in bronze: ${landed.join(', ')}`);
  ctx.output.result(`next: \`lab run ${lab.name} --day ${day}\` rebuilds that day (incremental models touch only its partition)`);
  return 0;
}
