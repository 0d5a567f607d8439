import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { modelExercises, orderModels, parseModel, type Model } from '../lab/models.js';
import { ModelBuildError } from '../runtime/models/engine.js';
import { formatCount, formatMs } from '../ui/output.js';
import { learnerFile } from '../workspace/workspace.js';
import { attachStack, type CommandContext } from './context.js';

/** The models to run: all of them, or one (and, with --upstream, what it reads), in dependency order. */
function selectModels(ordered: Model[], selected: string | undefined, upstream: boolean | undefined): Model[] {
  if (!selected) return ordered;
  const target = ordered.find((m) => m.name === selected || m.table === selected);
  if (!target) throw new LabError(`No model '${selected}' in your workspace.`, `Models: ${ordered.map((m) => m.name).join(', ')}.`);
  const wanted = new Set([target.name]);
  if (upstream) {
    for (const m of [...ordered].reverse()) if (wanted.has(m.name)) for (const d of m.deps) wanted.add(d);
  }
  return ordered.filter((m) => wanted.has(m.name));
}

/**
 * Runs the learner's models (one SQL file per table) in dependency order, like `dbt run`: as
 * Parquet into the lab's lake (DuckDB), or as Iceberg tables on the stack's Trino (`--engine trino`).
 * A model name runs that model only; --upstream also runs what it reads.
 */
export async function runCommand(ctx: CommandContext, labName: string, selected: string | undefined, flags: { upstream?: boolean; day?: string; engine?: string }): Promise<number> {
  const lab = await loadLab(labName);
  const exercises = modelExercises(lab);
  if (exercises.length === 0) throw new LabError(`${lab.name} has no models to run.`, '`lab run` is for the pipeline labs (month4); `lab check` grades the others.');
  const { stack } = await attachStack(ctx, lab);
  const files = exercises.map((ex) => learnerFile(ctx.paths, lab, ex)).filter((f) => fs.existsSync(f));
  const todo = selectModels(orderModels(files.map((f) => parseModel(f))), selected, flags.upstream);
  if (flags.day !== undefined && !/^\d{4}-\d\d-\d\d$/.test(flags.day)) throw new LabError(`Invalid day '${flags.day}'.`, 'Give a date like --day 2025-01-17.');

  const engine = await stack.modelEngine(flags.engine);
  const pipeline = await engine.pipeline(lab, stack.datasets[0]!, { day: flags.day });
  const title = `lab run ${lab.name}${selected ? ` ${selected}` : ''}${flags.engine ? ` --engine ${engine.name}` : ''}`;
  ctx.output.info(pc.bold(title) + pc.dim(` · ${todo.length} model${todo.length === 1 ? '' : 's'} in dependency order · ${pipeline.where}`));
  if (flags.day) ctx.output.info(pc.dim(`run_day = ${flags.day}: @incremental models rewrite only the partitions they produce; the others rebuild fully`));
  const t0 = performance.now();
  try {
    for (const [i, model] of todo.entries()) {
      const started = performance.now();
      try {
        const built = await pipeline.build(model, { rel: path.relative(ctx.paths.workspaceRoot, model.file) });
        ctx.output.result(`${pc.green('✓')} ${model.name.padEnd(28)} ${formatCount(built.rows).padStart(11)} rows  ${pc.dim(`${built.detail} · ${formatMs(performance.now() - started)}`)}`);
      } catch (err) {
        if (!(err instanceof ModelBuildError)) throw err;
        ctx.output.result(`${pc.red('✗')} ${model.name.padEnd(28)} ${err.message}`);
        const skipped = todo.slice(i + 1).map((m) => m.name);
        if (skipped.length) ctx.output.result(pc.dim(`  not run: ${skipped.join(', ')}`));
        return 1;
      }
    }
  } finally {
    pipeline.close();
  }
  ctx.output.result(pc.dim(`${todo.length} model${todo.length === 1 ? '' : 's'} built${flags.engine ? ` on ${engine.label}` : ''} in ${formatMs(performance.now() - t0)}; ${pipeline.next}`));
  return 0;
}
