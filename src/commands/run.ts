import path from 'node:path';
import fs from 'node:fs';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { sqlErrorMessage } from '../grade/grader.js';
import { openDatasetSession } from '../grade/model-runs.js';
import { loadLab } from '../lab/load.js';
import { materializeModel, modelDir, orderModels, parseModel, type Model } from '../lab/models.js';
import { formatCount, formatMs } from '../ui/output.js';
import { learnerFile } from '../workspace/workspace.js';
import { resolveEngine } from '../grade/trino-runs.js';
import { buildModelOnTrino, modelErrorMessage } from '../runtime/docker/lakehouse-models.js';
import { ICEBERG_CATALOG, TrinoQueryError, type StartedTrino } from '../services/trino.js';
import { attachStack, type CommandContext } from './context.js';

/**
 * Runs the learner's models (one SQL file per table) in dependency order, writing each table as
 * Parquet into the lab's lake, like `dbt run`. A model name runs that model only; --upstream also
 * runs what it reads.
 */
export async function runCommand(ctx: CommandContext, labName: string, selected: string | undefined, flags: { upstream?: boolean; day?: string; engine?: string }): Promise<number> {
  const lab = await loadLab(labName);
  const exercises = lab.exercises.filter((e) => e.def.kind === 'model');
  if (exercises.length === 0) throw new LabError(`${lab.name} has no models to run.`, '`lab run` is for the pipeline labs (month4); `lab check` grades the others.');
  const { stack } = await attachStack(ctx, lab);
  const dataset = stack.datasets[0]!;
  const models: Model[] = [];
  for (const ex of exercises) {
    const file = learnerFile(ctx.paths, lab, ex);
    if (fs.existsSync(file)) models.push(parseModel(file));
  }
  const ordered = orderModels(models);
  let todo = ordered;
  if (selected) {
    const target = ordered.find((m) => m.name === selected || m.table === selected);
    if (!target) throw new LabError(`No model '${selected}' in your workspace.`, `Models: ${ordered.map((m) => m.name).join(', ')}.`);
    const wanted = new Set([target.name]);
    if (flags.upstream) {
      for (const m of [...ordered].reverse()) if (wanted.has(m.name)) for (const d of m.deps) wanted.add(d);
    }
    todo = ordered.filter((m) => wanted.has(m.name));
  }

  if (flags.day !== undefined && !/^\d{4}-\d\d-\d\d$/.test(flags.day)) throw new LabError(`Invalid day '${flags.day}'.`, 'Give a date like --day 2025-01-17.');
  const lakehouse = await resolveEngine(flags.engine, lab.name, stack);
  if (lakehouse) {
    if (flags.day) throw new LabError('--day runs are DuckDB\'s (incremental models read getvariable(\'run_day\')); Trino rebuilds whole tables.', `Leave out --day, or run on DuckDB: lab run ${lab.name} --day ${flags.day}`);
    return runOnTrino(ctx, lab.name, todo, lakehouse.trino);
  }
  const lake = path.join(dataset.dir, 'lake');
  ctx.output.info(pc.bold(`lab run ${lab.name}${selected ? ` ${selected}` : ''}`) + pc.dim(` · ${todo.length} model${todo.length === 1 ? '' : 's'} in dependency order · lake ${path.relative(process.cwd(), lake)}`));
  const session = await openDatasetSession(lab, dataset);
  // Incremental models read the day to build from this variable; unset, they build everything.
  await session.run(flags.day ? `SET VARIABLE run_day = DATE '${flags.day}'` : 'SET VARIABLE run_day = NULL');
  if (flags.day) ctx.output.info(pc.dim(`run_day = ${flags.day}: @incremental models rewrite only the partitions they produce; the others rebuild fully`));
  const t0 = performance.now();
  try {
    for (const [i, model] of todo.entries()) {
      const started = performance.now();
      try {
        const out = await materializeModel(session, model, modelDir(lake, model.name));
        const where = out.partitionBy ? `${out.files} files under ${out.partitionBy}=…/${model.incremental && flags.day ? ' (incremental)' : ''}` : `${out.files} file`;
        ctx.output.result(`${pc.green('✓')} ${model.name.padEnd(28)} ${formatCount(out.rows).padStart(11)} rows  ${pc.dim(`${where} · ${formatMs(performance.now() - started)}`)}`);
      } catch (err) {
        ctx.output.result(`${pc.red('✗')} ${model.name.padEnd(28)} ${sqlErrorMessage(path.relative(ctx.paths.workspaceRoot, model.file), err)}`);
        const skipped = todo.slice(i + 1).map((m) => m.name);
        if (skipped.length) ctx.output.result(pc.dim(`  not run: ${skipped.join(', ')}`));
        return 1;
      }
    }
  } finally {
    session.close();
  }
  ctx.output.result(pc.dim(`${todo.length} model${todo.length === 1 ? '' : 's'} built in ${formatMs(performance.now() - t0)}; \`lab check ${lab.name}\` grades them`));
  return 0;
}

/** The same pipeline on Trino: each model becomes an Iceberg table (a new snapshot per run) in MinIO. */
async function runOnTrino(ctx: CommandContext, lab: string, todo: Model[], trino: StartedTrino): Promise<number> {
  ctx.output.info(pc.bold(`lab run ${lab} --engine trino`) + pc.dim(` · ${todo.length} model${todo.length === 1 ? '' : 's'} in dependency order · Iceberg tables in catalog ${ICEBERG_CATALOG}`));
  const t0 = performance.now();
  for (const [i, model] of todo.entries()) {
    const started = performance.now();
    try {
      const rows = await buildModelOnTrino(trino, model);
      const where = model.partitionBy ? `Iceberg table partitioned by ${model.partitionBy}` : 'Iceberg table';
      ctx.output.result(`${pc.green('✓')} ${model.name.padEnd(28)} ${formatCount(rows).padStart(11)} rows  ${pc.dim(`${where} · ${formatMs(performance.now() - started)}`)}`);
    } catch (err) {
      if (!(err instanceof TrinoQueryError)) throw err;
      ctx.output.result(`${pc.red('✗')} ${model.name.padEnd(28)} ${modelErrorMessage(path.relative(ctx.paths.workspaceRoot, model.file), err)}`);
      const skipped = todo.slice(i + 1).map((m) => m.name);
      if (skipped.length) ctx.output.result(pc.dim(`  not run: ${skipped.join(', ')}`));
      return 1;
    }
  }
  ctx.output.result(pc.dim(`${todo.length} model${todo.length === 1 ? '' : 's'} built on Trino in ${formatMs(performance.now() - t0)}; \`lab query ${lab} "SELECT * FROM gold.daily_revenue"\` reads them`));
  return 0;
}
