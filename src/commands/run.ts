import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { modelExercises, orderModels, parseModel, type Model } from '../lab/models.js';
import { ModelBuildError } from '../runtime/models/engine.js';
import { formatCount, formatMs } from '../ui/output.js';
import { learnerFile } from '../workspace/workspace.js';
import { runnerFor } from '../grade/runners/index.js';
import { runDbtByHand } from '../grade/runners/dbt.js';
import { runFlowByHand } from '../grade/runners/flow.js';
import { openDatasetSession } from '../runtime/dataset-session.js';
import { SolutionFailure } from '../grade/runners/runner.js';
import { findExercise, loadLab, type LoadedLab } from '../lab/load.js';
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
export async function runCommand(ctx: CommandContext, labName: string, selected: string | undefined, flags: { upstream?: boolean; day?: string; engine?: string; timeout?: string; from?: string; to?: string; load?: string }): Promise<number> {
  const lab = await loadLab(labName);
  if (lab.exercises.some((ex) => ex.def.kind === 'flow')) return runFlowCommand(ctx, lab, selected, flags);
  if (lab.def.dbt) return runDbtCommand(ctx, lab, selected, flags);
  if (flags.load) throw new LabError('--load is for the dbt lab (month3).', `\`lab run ${lab.name}\` builds your models without it.`);
  if (flags.from || flags.to) throw new LabError('--from and --to are for flows (month2): a model run takes --day.', `\`lab run ${lab.name} --day <date>\` runs the incremental models for one day.`);
  // A model still running after the grader's limit is stopped, as in `lab check` (--timeout changes it).
  const timeoutMs = parseTimeout(flags.timeout) ?? runnerFor('model').defaultTimeoutMs;
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

/**
 * Runs the learner's flow of one exercise once, by hand, as `lab check` would (the exercise's
 * source faults included) but over the range asked for, and shows the run: its state, its task
 * runs as Prefect recorded them, and the partitions the output folder holds now.
 */
async function runFlowCommand(ctx: CommandContext, lab: LoadedLab, selected: string | undefined, flags: { timeout?: string; from?: string; to?: string }): Promise<number> {
  const flows = lab.exercises.filter((ex) => ex.def.kind === 'flow');
  if (!selected) throw new LabError(`Which flow? \`lab run ${lab.name} <exercise>\` runs that exercise's flow.py.`, `Flows: ${flows.map((ex) => ex.id).join(', ')}.`);
  const ex = findExercise(lab, selected);
  if (ex.def.kind !== 'flow') throw new LabError(`${ex.id} is not a flow: \`lab run ${lab.name}\` runs the orchestration exercises.`, `Grade it with \`lab check ${lab.name} ${ex.id}\`.`);
  for (const [flag, day] of [['--from', flags.from], ['--to', flags.to]] as const) {
    if (day !== undefined && !isCalendarDay(day)) throw new LabError(`Invalid day '${day}' for ${flag}.`, 'Give a date that exists, like --from 2024-03-01.');
  }
  if ((flags.from === undefined) !== (flags.to === undefined)) throw new LabError('Give both --from and --to (or neither, for every day).', `e.g. \`lab run ${lab.name} ${ex.id} --from 2024-03-02 --to 2024-03-05\``);
  if (flags.from && flags.to && flags.from > flags.to) throw new LabError(`--from ${flags.from} is after --to ${flags.to}.`, 'The range runs from the first day to the last, both included.');
  const file = learnerFile(ctx.paths, lab, ex);
  if (!fs.existsSync(file)) throw new LabError(`No file ${path.relative(process.cwd(), file)}.`, `\`lab up ${lab.name}\` puts the templates back where they are missing.`);
  const timeoutMs = parseTimeout(flags.timeout) ?? runnerFor('flow').defaultTimeoutMs;
  const { stack } = await attachStack(ctx, lab, `lab run ${lab.name}`);
  const range = flags.from && flags.to ? ([flags.from, flags.to] as [string, string]) : undefined;
  const done = ctx.output.progress().start(`running ${ex.id}/${path.basename(file)}${range ? ` for ${range[0]}..${range[1]}` : ' for every day'}`);
  let report;
  try {
    report = await runFlowByHand({ stack, ex }, file, path.relative(ctx.paths.workspaceRoot, file), path.join(ctx.paths.home, lab.name), range, timeoutMs);
  } catch (err) {
    if (err instanceof SolutionFailure) throw new LabError(err.message, `Fix it, then run again; \`lab check ${lab.name} ${ex.id}\` grades it.`);
    throw err;
  }
  done();
  const { run } = report;
  const ok = run.state === 'COMPLETED';
  ctx.output.result(`${ok ? pc.green('✓') : pc.red('✗')} flow run ${run.flowRunId ?? ''} over ${run.start}..${run.end}: ${run.state}${run.message && !ok ? ` — ${run.message}` : ''} ${pc.dim(`(${formatMs(run.wallMs)})`)}`);
  for (const t of report.taskRuns) {
    const mark = t.state === 'Completed' || t.state === 'Cached' ? pc.green('✓') : pc.red('✗');
    ctx.output.result(`  ${mark} ${t.name.padEnd(36)} ${t.state.padEnd(10)} ${t.runCount > 1 ? pc.yellow(`ran ${t.runCount}×`) : '      '} ${pc.dim(t.ms === null ? '' : formatMs(t.ms))}`);
  }
  if (report.taskRuns.length === 0) ctx.output.result(pc.dim('  no task runs: the work ran in the flow itself'));
  const where = path.relative(process.cwd(), report.outDir) || report.outDir;
  if (report.partitions.length === 0) ctx.output.result(pc.dim(`no partitions in ${where}`));
  else ctx.output.result(`${report.partitions.length} partitions in ${where}: ${report.partitions.map((p) => `${p.day.slice(5)} ${p.rows} row${p.rows === 1 ? '' : 's'}${p.files > 1 ? pc.yellow(` in ${p.files} files`) : ''}`).join(', ')}`);
  ctx.output.result(pc.dim(`kept between runs: run it again to see whether it replaces; the server's history: ${stack.runtime === 'local' ? (await stack.service('orchestrator')).apiUrl : 'lab status'} · grade it: lab check ${lab.name} ${ex.id}`));
  return ok ? 0 : 1;
}

/**
 * Builds the learner's dbt project by hand, as `dbt build` would: every exercise's file from the
 * workspace in its place in the lab's project, on the learner's data; shows each node as dbt
 * reported it. The warehouse persists, so a snapshot built on `--load 1` then `--load 2` has the
 * history of both.
 */
async function runDbtCommand(ctx: CommandContext, lab: LoadedLab, selected: string | undefined, flags: { timeout?: string; load?: string; day?: string; engine?: string; from?: string; to?: string; upstream?: boolean }): Promise<number> {
  const unsupported = (['day', 'engine', 'from', 'to', 'upstream'] as const).find((f) => flags[f] !== undefined);
  if (unsupported) throw new LabError(`--${unsupported} is not for the dbt lab.`, `\`lab run ${lab.name} [model] [--load 2]\` builds your dbt project (a model: it alone; \`+model\`: with what it reads, dbt's selector).`);
  const load = flags.load === undefined ? 1 : Number(flags.load);
  if (!Number.isInteger(load)) throw new LabError(`Invalid --load '${flags.load}'.`, 'Give the load to build on: 1 (the first) or 2 (the second).');
  const timeoutMs = parseTimeout(flags.timeout) ?? runnerFor('dbt').defaultTimeoutMs;
  const { stack } = await attachStack(ctx, lab, `lab run ${lab.name}`);
  const dataset = stack.datasets[0]!;
  const session = await openDatasetSession(lab, dataset);
  const rel = (file: string) => path.relative(ctx.paths.workspaceRoot, file);
  const done = ctx.output.progress().start(`dbt build${selected ? ` --select ${selected}` : ''} on load ${load}`);
  let report;
  try {
    report = await runDbtByHand(stack, dataset, session, { learnerFile: (ex) => learnerFile(ctx.paths, lab, ex), rel, select: selected, load, timeoutMs });
  } catch (err) {
    if (err instanceof SolutionFailure) throw new LabError(err.message, `Fix it, then run again; \`lab check ${lab.name}\` grades each file.`);
    throw err;
  } finally {
    session.close();
  }
  done();
  const bad = report.nodes.filter((n) => !['success', 'pass'].includes(n.status));
  for (const n of report.nodes) {
    const ok = n.status === 'success' || n.status === 'pass';
    const mark = ok ? pc.green('✓') : n.status === 'skipped' ? pc.yellow('–') : pc.red('✗');
    const detail = ok ? '' : n.status === 'fail' ? `${n.failures ?? '?'} failing rows` : n.status === 'skipped' ? 'not run: it reads a node that did not build' : (n.message ?? n.status);
    ctx.output.result(`${mark} ${n.resource_type.padEnd(8)} ${n.name.padEnd(44)} ${ok ? pc.dim(n.file ?? '') : `${n.file ? `${n.file}: ` : ''}${detail}`}`);
  }
  ctx.output.result(pc.dim(`${report.nodes.length - bad.length} of ${report.nodes.length} nodes ok on load ${load}; the project: ${path.relative(process.cwd(), report.project) || report.project} (target/compiled holds the SQL dbt ran); the warehouse: ${report.where.startsWith('/') ? path.relative(process.cwd(), report.where) : report.where}`));
  return bad.length ? 1 : 0;
}
