import pc from 'picocolors';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { attachStack, type CommandContext } from './context.js';

/** Lands the next day's drop in bronze, as the nightly export would; the lab knows where its drops wait. */
export async function dropCommand(ctx: CommandContext, labName: string): Promise<number> {
  const lab = await loadLab(labName);
  if (lab.def.dbt && !lab.def.nextDrop) throw new LabError(`${lab.name}'s second load is not landed into your data: the dbt build picks the load.`, `\`lab run ${lab.name} --load 2\` builds your project on the second load (your snapshot keeps the first's history).`);
  if (!lab.def.nextDrop) throw new LabError(`${lab.name} has no lake: its data does not arrive in daily drops.`, '`lab drop` is for the lakehouse lab (month4).');
  const { stack } = await attachStack(ctx, lab, `lab drop ${lab.name}`, 'write');
  const drop = lab.def.nextDrop(stack.datasets[0]!.dir);
  if (!drop) throw new LabError('No new drop is waiting: the next day has already landed.', `\`lab reset ${lab.name}\` puts the data back as seeded (your files are kept), with the drop waiting again.`);
  // The data's revision changes with the landed files: grades and references are computed afresh on it.
  const landed = drop.commit();
  ctx.output.result(`${pc.green('✓')} the drop of ${drop.day} landed in bronze: ${landed.join(', ')}`);
  ctx.output.result(`next: \`lab run ${lab.name} --day ${drop.day}\` rebuilds that day (incremental models touch only its partition)`);
  return 0;
}
