import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { isScale, type Scale } from '../lab/scale.js';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { chooseRuntimeName, getRuntime } from '../runtime/select.js';
import { formatMs } from '../ui/output.js';
import { syncTemplates } from '../workspace/workspace.js';
import { DEFAULT_SEED, holdLabData, type CommandContext } from './context.js';

export interface UpFlags {
  scale?: string;
  seed?: string;
  runtime?: string;
  localImages?: boolean;
}

export function parseScale(value: string | undefined): Scale | undefined {
  if (value === undefined) return undefined;
  if (!isScale(value)) throw new LabError(`Unknown scale '${value}'.`, 'Use small (10^4 orders), medium (10^6) or large (10^7).');
  return value;
}

export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new LabError(`Invalid seed '${value}'.`, 'A seed is a whole number between 0 and 999999999, e.g. --seed 7.');
  return Number(value);
}

export async function upCommand(ctx: CommandContext, labName: string, flags: UpFlags): Promise<number> {
  const t0 = performance.now();
  const lab = await loadLab(labName);
  const scale = parseScale(flags.scale);
  const seed = parseSeed(flags.seed);
  await holdLabData(ctx, lab, `lab up ${lab.name}`, 'write');
  const state = ctx.state.read();
  const previous = state.labs[lab.name];
  const runtimeName = chooseRuntimeName(flags.runtime, state.preferences.runtime);
  const only = lab.def.onlyOn;
  if (only && !only.runtimes.includes(runtimeName)) {
    throw new LabError(`${lab.name} runs on the ${only.runtimes.join(' and ')} runtime${only.runtimes.length > 1 ? 's' : ''} only, for now: ${only.why}.`, `Run \`lab up ${lab.name} --runtime ${only.runtimes[0]}\`.`);
  }
  const runtime = await getRuntime(runtimeName, ctx.paths, { localImages: flags.localImages });
  const chosen = { seed: seed ?? previous?.seed ?? DEFAULT_SEED, scale: scale ?? previous?.scale ?? 'small' };

  // The seed and scale stick to the lab: a plain `lab up` later keeps them, and says so.
  const kept = previous && (seed === undefined || scale === undefined) && (previous.seed !== DEFAULT_SEED || previous.scale !== 'small') ? ' (kept from your last up; --seed/--scale to change)' : '';
  ctx.output.info(`${pc.bold(`lab up ${lab.name}`)} — ${lab.def.title}`);
  ctx.output.info(pc.dim(`runtime: ${runtimeName} (SQL on ${lab.def.sqlEngine[runtimeName] ?? 'n/a'}) · seed ${chosen.seed}, ${chosen.scale}${kept}`));
  const stack = await runtime.up(lab, { ...chosen, output: ctx.output });
  const labFolder = path.join(ctx.paths.workspaceRoot, lab.name);
  const newWorkspace = !fs.existsSync(labFolder);
  const sync = syncTemplates(ctx.paths, lab);

  ctx.state.update((s) => {
    s.labs[lab.name] = { ...s.labs[lab.name], status: 'up', runtime: runtimeName, ...chosen, seededAt: new Date().toISOString() };
  });

  const out = ctx.output;
  out.result(`${pc.green('✓')} ${lab.name} is up on the ${stack.runtime} runtime in ${formatMs(performance.now() - t0)}`);
  out.result(`  data:      ${lab.def.tables.join(', ')} (seed ${chosen.seed}, ${chosen.scale})`);
  const shown = (p: string) => path.relative(process.cwd(), p) || '.';
  out.result(`  workspace: ${shown(labFolder)}/ (${lab.exercises.length} exercises)`);
  if (previous && !newWorkspace && sync.created.length) {
    for (const f of sync.created) out.result(`  ${pc.yellow('re-created from its template')} (it was missing): ${shown(path.join(ctx.paths.workspaceRoot, f))}`);
  } else if (sync.created.length) {
    out.result(`  ${sync.created.length} exercise files created${sync.kept.length ? '; files you already had were kept' : ''}`);
  }
  out.result(`  lesson:    ${shown(path.join(lab.dir, 'README.md'))}`);
  out.result('');
  out.result(`next: open ${shown(path.join(labFolder, lab.exercises[0]?.id ?? ''))} and run \`lab check ${lab.name}\` (or \`lab watch ${lab.name}\`)`);
  return 0;
}
