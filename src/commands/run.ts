import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { modelExercises, orderModels, parseModel, type Model } from '../lab/models.js';
import { ModelBuildError } from '../runtime/models/engine.js';
import { formatCount, formatMs } from '../ui/output.js';
import { learnerFile } from '../workspace/workspace.js';
import { runnerFor } from '../grade/runners/index.js';
import { parseTimeout } from './check.js';
import { attachStack, type CommandContext } from './context.js';

/** A real calendar day written YYYY-MM-DD (2025-13-45 is not one). */
function isCalendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

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
export async function runCommand(ctx: CommandContext, labName: string, selected: string | undefined, flags: { upstream?: boolean; day?: string; engine?: string; timeout?: string }): Promise<number> {
  // A model still running after the grader's limit is stopped, as in `lab check` (--timeout changes it).
  const timeoutMs = parseTimeout(flags.timeout) ?? runnerFor('model').defaultTimeoutMs;
  const lab = await loadLab(labName);
  const exercises = modelExercises(lab);
  if (exercises.length === 0) throw new LabError(`${lab.name} has no models to run.`, '`lab run` is for the pipeline labs (month4); `lab check` grades the others.');
  const { stack } = await attachStack(ctx, lab, `lab run ${lab.name}`);
  const files = exercises.map((ex) => learnerFile(ctx.paths, lab, ex)).filter((f) => fs.existsSync(f));
  const todo = selectModels(orderModels(files.map((f) => parseModel(f))), selected, flags.upstream);
  if (flags.day !== undefined && !isCalendarDay(flags.day)) throw new LabError(`Invalid day '${flags.day}'.`, 'Give a date that exists, like --day 2025-01-17.');

  const engine = await stack.modelEngine(flags.engine);
  const pipeline = await engine.pipeline(lab, stack.datasets[0]!, { day: flags.day });
  const title = `lab run ${lab.name}${selected ? ` ${selected}` : ''}${flags.engine ? ` --engine ${engine.name}` : ''}`;
  ctx.output.info(pc.bold(title) + pc.dim(` · ${todo.length} model${todo.length === 1 ? '' : 's'} in dependency order · ${pipeline.where}`));
  if (flags.day) {
    ctx.output.info(pc.dim(`run_day = ${flags.day}: @incremental models rewrite only the partitions they produce; the others rebuild fully`));
    const landed = lab.def.dropDays?.(stack.datasets[0]!.dir);
    if (landed && !landed.includes(flags.day)) ctx.output.info(pc.yellow(`warning: no drop of ${flags.day} has landed (drops from ${landed[0]} to ${landed.at(-1)}): an incremental model finds nothing to rebuild that day`));
  }
  const t0 = performance.now();
  // Like dbt: a model that fails stops only the models that read it; the others still build.
  const failed = new Map<string, string>();
  try {
    for (const model of todo) {
      const blocked = model.deps.find((d) => failed.has(d));
      if (blocked) {
        failed.set(model.name, blocked);
        ctx.output.result(`${pc.yellow('–')} ${model.name.padEnd(28)} ${pc.dim(`not run: it reads ${blocked}, which did not build`)}`);
        continue;
      }
      const done = ctx.output.progress().start(`building ${model.name}`);
      const started = performance.now();
      try {
        const built = await pipeline.build(model, { rel: path.relative(ctx.paths.workspaceRoot, model.file), timeoutMs });
        done();
        ctx.output.result(`${pc.green('✓')} ${model.name.padEnd(28)} ${formatCount(built.rows).padStart(11)} rows  ${pc.dim(`${built.detail} · ${formatMs(performance.now() - started)}`)}`);
      } catch (err) {
        if (!(err instanceof ModelBuildError)) throw err;
        failed.set(model.name, model.name);
        ctx.output.result(`${pc.red('✗')} ${model.name.padEnd(28)} ${err.message}`);
      }
    }
  } finally {
    pipeline.close();
  }
  if (failed.size) {
    const notRun = [...failed].filter(([m, why]) => m !== why).map(([m]) => m);
    ctx.output.result(pc.dim(`${todo.length - failed.size} of ${todo.length} models built; ${failed.size - notRun.length} failed${notRun.length ? `, not run: ${notRun.join(', ')}` : ''}`));
    return 1;
  }
  ctx.output.result(pc.dim(`${todo.length} model${todo.length === 1 ? '' : 's'} built${flags.engine ? ` on ${engine.label}` : ''} in ${formatMs(performance.now() - t0)}; ${pipeline.next}`));
  return 0;
}
