import pc from 'picocolors';
import { isScale, type Scale } from '../lab/scale.js';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { chooseRuntimeName, getRuntime } from '../runtime/select.js';
import { formatMs } from '../ui/output.js';
import { syncTemplates } from '../workspace/workspace.js';
import { DEFAULT_SEED, type CommandContext } from './context.js';

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
  const state = ctx.state.read();
  const previous = state.labs[lab.name];
  const runtimeName = chooseRuntimeName(flags.runtime, state.preferences.runtime);
  const runtime = await getRuntime(runtimeName, ctx.paths, { localImages: flags.localImages });
  const chosen = { seed: seed ?? previous?.seed ?? DEFAULT_SEED, scale: scale ?? previous?.scale ?? 'small' };

  ctx.output.info(`${pc.bold(`lab up ${lab.name}`)} — ${lab.def.title}`);
  ctx.output.info(pc.dim(`runtime: ${runtimeName} (SQL on ${lab.def.sqlEngine[runtimeName] ?? 'n/a'}) · seed ${chosen.seed} · scale ${chosen.scale}`));
  const stack = await runtime.up(lab, { ...chosen, output: ctx.output });
  const sync = syncTemplates(ctx.paths, lab);

  ctx.state.update((s) => {
    s.labs[lab.name] = { ...s.labs[lab.name], status: 'up', runtime: runtimeName, ...chosen, seededAt: new Date().toISOString() };
  });

  const out = ctx.output;
  out.result(`${pc.green('✓')} ${lab.name} is up on the ${stack.runtime} runtime in ${formatMs(performance.now() - t0)}`);
  out.result(`  data:      ${lab.def.tables.join(', ')} (seed ${chosen.seed}, ${chosen.scale})`);
  out.result(`  workspace: ${ctx.paths.workspaceRoot}/${lab.name}/ (${lab.exercises.length} exercises)`);
  if (previous && sync.created.length) {
    for (const f of sync.created) out.result(`  ${pc.yellow('re-created from its template')} (it was missing): workspace/${f}`);
  } else if (sync.created.length) {
    out.result(`  ${sync.created.length} exercise files created; files you already had were kept`);
  }
  out.result(`  lesson:    ${lab.dir}/README.md`);
  out.result('');
  out.result(`next: open workspace/${lab.name}/${lab.exercises[0]?.id ?? ''} and run \`lab check ${lab.name}\` (or \`lab watch ${lab.name}\`)`);
  return 0;
}
