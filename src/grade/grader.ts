import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedExercise, LoadedLab } from '../lab/load.js';
import { COMPILED_LABS_DIR, type LabPaths } from '../paths.js';
import type { Dataset, Lakehouse, StartedStack } from '../runtime/runtime.js';
import { TrinoQueryError } from '../services/trino.js';
import { modelErrorMessage } from '../runtime/docker/lakehouse-models.js';
import { ensureTrinoReference, runLearnerModelOnTrino, TRINO_ENGINE, trinoReferenceFiles, trinoSolutionFile } from './trino-runs.js';
import { formatSeconds, QueryTimeoutError, type SqlSession } from '../services/duckdb.js';
import { learnerFile, workspaceRelative } from '../workspace/workspace.js';
import { sqlCode } from '../lab/checks.js';
import type { ModelOutput } from '../lab/define.js';
import { modelDir, parseModel } from '../lab/models.js';
import { LabError } from '../errors.js';
import { checkIncrementalRun, openDatasetSession, referenceDigest, referenceLake, runLearnerModel, useReferenceUpstream } from './model-runs.js';

export const DEFAULT_TIMEOUT_MS = { sql: 20_000, python: 60_000, model: 60_000 } as const;

export interface CheckResult {
  name: string;
  passed: boolean;
  message: string;
}

export interface ExerciseResult {
  id: string;
  title: string;
  files: string[];
  passed: boolean;
  checks: CheckResult[];
}

export interface LabReport {
  lab: string;
  runtime: string;
  score: number;
  max: number;
  exercises: ExerciseResult[];
}

export interface GradeOptions {
  /** Overrides every exercise's time limit. */
  timeoutMs?: number;
  /** Re-run every solution even when nothing it depends on changed since the last check. */
  fresh?: boolean;
  /** Build and judge model exercises on this lakehouse's Trino instead of DuckDB (`--engine trino`). */
  lakehouse?: Lakehouse;
  /** Told which exercises were not re-run because nothing they depend on changed. */
  onReused?: (id: string) => void;
  onExercise?: (result: ExerciseResult) => void;
}

/** Why a solution produced no result: shown to the learner as file:line: message. */
class SolutionFailure extends Error {}

/** How many exercises of a kind grade at once: Python runs in its own process beside DuckDB's queries. */
const LANES: Record<ExerciseLoadKind, number> = { sql: 1, python: 1 };
type ExerciseLoadKind = 'sql' | 'python';

export async function gradeLab(stack: StartedStack, paths: LabPaths, exercises: LoadedExercise[], opts: GradeOptions = {}): Promise<LabReport> {
  // One lane per kind: DuckDB already uses every core (two SQL lanes measured no faster), Python overlaps it;
  // results are still reported in exercise order as they complete.
  const lanes = new Map<string, Promise<unknown>>();
  const pending = exercises.map((ex, i) => {
    const kind: ExerciseLoadKind = ex.def.kind === 'python' ? 'python' : 'sql';
    const lane = `${kind}:${exercises.filter((e, j) => j < i && (e.def.kind === 'python') === (kind === 'python')).length % LANES[kind]}`;
    const graded = (lanes.get(lane) ?? Promise.resolve()).catch(() => undefined).then(() => gradeExercise(stack, paths, ex, opts));
    graded.catch(() => undefined); // awaited below, in order; this only keeps an early failure from being "unhandled"
    lanes.set(lane, graded);
    return graded;
  });
  const results: ExerciseResult[] = [];
  try {
    for (const graded of pending) {
      const result = await graded;
      results.push(result);
      opts.onExercise?.(result);
    }
  } finally {
    await Promise.allSettled(pending); // never leave a run behind a thrown error
  }
  return {
    lab: stack.lab.name,
    runtime: stack.runtime,
    score: results.filter((r) => r.passed).length,
    max: results.length,
    exercises: results,
  };
}

/** Everything a grade depends on; the same fingerprint means the same result. */
function gradeFingerprint(stack: StartedStack, ex: LoadedExercise, source: string, timeoutMs: number, onTrino: boolean): string {
  const hash = crypto.createHash('sha256');
  hash.update(graderFingerprint()).update(source).update(fs.readFileSync(ex.solutionFile)).update(String(timeoutMs));
  if (onTrino && ex.def.kind === 'model') hash.update(TRINO_ENGINE).update(fs.readFileSync(trinoSolutionFile(ex)));
  const compiledCheck = path.join(COMPILED_LABS_DIR, stack.lab.name, 'exercises', ex.id, 'check.js');
  if (fs.existsSync(compiledCheck)) hash.update(fs.readFileSync(compiledCheck));
  for (const d of stack.datasets) hash.update(`${d.seed}/${d.scale}/${d.sql.file}/${fs.statSync(d.sql.file).mtimeMs}`);
  if (stack.lab.def.pythonRequirements) hash.update(fs.readFileSync(path.join(stack.lab.dir, stack.lab.def.pythonRequirements)));
  if (ex.def.kind === 'model') hash.update(referenceDigest(stack.lab)); // a model reads the reference pipeline's upstream tables
  return hash.digest('hex');
}

/** The grader's own code: a new version of it grades afresh. Read once, on the first grade (not at start-up). */
let graderDigest: string | undefined;
function graderFingerprint(): string {
  if (graderDigest) return graderDigest;
  const hash = crypto.createHash('sha256');
  const dir = path.dirname(fileURLToPath(import.meta.url));
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) hash.update(fs.readFileSync(path.join(dir, f)));
  return (graderDigest = hash.digest('hex'));
}

/**
 * Grades an exercise, or reuses the last grade when nothing it depends on changed (the learner's
 * file, the reference, the checks, the data, the grader): a check after editing one file re-runs one.
 */
export async function gradeExercise(stack: StartedStack, paths: LabPaths, ex: LoadedExercise, opts: GradeOptions = {}): Promise<ExerciseResult> {
  const file = learnerFile(paths, stack.lab, ex);
  if (!fs.existsSync(file)) return runGrade(stack, paths, ex, opts);
  const timeoutMs = opts.timeoutMs ?? ex.def.timeoutMs ?? DEFAULT_TIMEOUT_MS[ex.def.kind];
  const key = gradeFingerprint(stack, ex, fs.readFileSync(file, 'utf8'), timeoutMs, Boolean(opts.lakehouse));
  const store = path.join(stack.datasets[0]!.cacheDir, 'grades', `${ex.id}.json`);
  if (!opts.fresh) {
    try {
      const saved = JSON.parse(fs.readFileSync(store, 'utf8')) as { key: string; result: ExerciseResult };
      if (saved.key === key) {
        opts.onReused?.(ex.id);
        return saved.result;
      }
    } catch {
      // no grade saved yet, or an unreadable one: grade
    }
  }
  const result = await runGrade(stack, paths, ex, opts);
  // A timeout depends on how busy the machine was: grade that one again next time.
  if (!result.checks.some((c) => /stopped after/.test(c.message))) {
    fs.mkdirSync(path.dirname(store), { recursive: true });
    fs.writeFileSync(`${store}.${process.pid}.tmp`, JSON.stringify({ key, result }));
    fs.renameSync(`${store}.${process.pid}.tmp`, store);
  }
  return result;
}

async function runGrade(stack: StartedStack, paths: LabPaths, ex: LoadedExercise, opts: GradeOptions): Promise<ExerciseResult> {
  const lab = stack.lab;
  const rel = workspaceRelative(lab, ex);
  const file = learnerFile(paths, lab, ex);
  const checks: CheckResult[] = [];
  const finish = (): ExerciseResult => ({ id: ex.id, title: ex.def.title, files: [rel], passed: checks.length > 0 && checks.every((c) => c.passed), checks });

  if (!fs.existsSync(file)) {
    checks.push({ name: 'file exists', passed: false, message: `workspace/${rel} is missing: run \`lab up ${lab.name}\` to re-create it from the template (your other files are kept)` });
    return finish();
  }
  const source = fs.readFileSync(file, 'utf8');
  for (const check of ex.def.checks) {
    if (check.on !== 'source') continue;
    const outcome = await check.run({ source, file: rel, absFile: file, kind: ex.def.kind, python: stack.python });
    checks.push({ name: check.name, ...outcome });
  }
  const timeoutMs = opts.timeoutMs ?? ex.def.timeoutMs ?? DEFAULT_TIMEOUT_MS[ex.def.kind];
  const lakehouse = ex.def.kind === 'model' ? opts.lakehouse : undefined;
  const runs: RunTarget[] = [];
  try {
    for (const dataset of stack.datasets) runs.push({ dataset, session: await openDatasetSession(lab, dataset) });
    await materializeReferences(stack, ex, runs, lakehouse);
    const failure = await runAll(stack, ex, runs, { file, rel, source, timeoutMs, table: 'learner', lakehouse });
    for (const [i, { dataset, session }] of runs.entries()) {
      if (failure && failure.index === i) {
        checks.push({ name: `runs on ${dataset.label}`, passed: false, message: failure.message });
        break; // the same failure would repeat on the next dataset
      }
      for (const check of ex.def.checks) {
        if (check.on !== 'results') continue;
        const run = runs[i]!;
        const outcome = await check.run({ dataset: dataset.label, hidden: dataset.hidden, session, learnerTable: 'learner', referenceTable: 'reference', learnerOutput: run.output, rerunLearner: run.rerun, incrementalRun: run.incrementalRun });
        checks.push({
          name: `${check.name} · ${dataset.label}`,
          passed: outcome.passed,
          message: outcome.passed || !dataset.hidden
            ? outcome.message
            : `${outcome.message}\n(on a second dataset you have not seen: a solution must not depend on the particular seeded values)`,
        });
      }
    }
  } finally {
    for (const run of runs) run.session.close();
    for (const run of runs) for (const dir of run.scratch ?? []) fs.rmSync(dir, { recursive: true, force: true });
  }
  return finish();
}

interface RunTarget {
  dataset: Dataset;
  session: SqlSession;
  /** Model exercises: the learner's files, and a way to build them again elsewhere. */
  output?: ModelOutput;
  rerun?: () => Promise<ModelOutput>;
  /** Folders to remove once graded. */
  scratch?: string[];
  incrementalRun?: () => Promise<{ passed: boolean; message: string }>;
}

interface SolutionRun {
  file: string;
  rel: string;
  source: string;
  timeoutMs: number;
  table: string;
  /** Model exercises graded on Trino: where the model runs instead of the dataset's DuckDB. */
  lakehouse?: Lakehouse;
}

/** Runs a solution on each target in order; returns the first failure, when there is one. */
async function runAll(stack: StartedStack, ex: LoadedExercise, targets: RunTarget[], run: SolutionRun): Promise<{ index: number; message: string } | undefined> {
  if (ex.def.kind === 'python') return runPython(stack, ex, targets, run);
  for (const [index, target] of targets.entries()) {
    try {
      if (ex.def.kind === 'model') await runModel(stack.lab, ex, target, run);
      else await runSql(target.session, run);
    } catch (err) {
      if (err instanceof SolutionFailure) return { index, message: err.message };
      throw err;
    }
  }
  return undefined;
}

/** A model runs with the reference pipeline's upstream tables; its result is written as Parquet, then read back. */
async function runModel(lab: LoadedLab, ex: LoadedExercise, target: RunTarget, run: SolutionRun): Promise<void> {
  if (sqlCode(run.source).trim() === '') throw new SolutionFailure(`${run.rel}: the file has no query yet`);
  if (run.lakehouse) return runModelOnTrino(ex, target, run, run.lakehouse);
  const build = async (tag: string) => {
    const dir = path.join(target.dataset.cacheDir, 'runs', `${ex.id}-${run.table}-${tag}-${process.pid}`);
    (target.scratch ??= []).push(dir);
    try {
      return await runLearnerModel(target.session, ex, run.source, run.file, dir, run.timeoutMs);
    } catch (err) {
      if (err instanceof QueryTimeoutError) throw new SolutionFailure(`${run.rel}: ${err.message}`);
      if (err instanceof LabError) throw new SolutionFailure(`${run.rel}: ${err.message}`);
      throw new SolutionFailure(sqlErrorMessage(run.rel, err));
    }
  };
  const output = await build('a');
  const name = parseModel(run.file, run.source).name;
  await target.session.run(`CREATE OR REPLACE TEMP TABLE ${run.table} AS SELECT * FROM ${name}`);
  if (run.table === 'learner') {
    target.output = output;
    target.rerun = () => build(`b${(target.scratch ?? []).length}`);
    target.incrementalRun = () => incrementalRun(lab, ex, target, run, output);
  }
}

/** Files Trino wrote as a temp table; its files hold the partition column too (not only their folder names). */
function loadTrinoFiles(session: SqlSession, table: string, dir: string): Promise<void> {
  return session.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = false, union_by_name = true)`);
}

/** A statement on Trino (a coordinator, HTTP polling, files into MinIO) may take this many times DuckDB's limit. */
const TRINO_SLOWER = 3;

/**
 * The model runs on Trino into an Iceberg table; the files Trino wrote are copied back and judged by
 * the same checks as on DuckDB (rows, keys, day partitions, a second run).
 */
async function runModelOnTrino(ex: LoadedExercise, target: RunTarget, run: SolutionRun, lakehouse: Lakehouse): Promise<void> {
  const build = async (tag: string) => {
    const dir = path.join(target.dataset.cacheDir, 'runs', `${ex.id}-trino${tag}-${process.pid}`);
    (target.scratch ??= []).push(dir);
    try {
      return await runLearnerModelOnTrino(target.dataset, lakehouse, run.file, run.source, tag, dir, TRINO_SLOWER * run.timeoutMs);
    } catch (err) {
      if (err instanceof TrinoQueryError && err.errorName === 'EXCEEDED_TIME_LIMIT') {
        throw new SolutionFailure(`${run.rel}: stopped after ${formatSeconds(TRINO_SLOWER * run.timeoutMs)}: the model was still running on Trino (a join without its condition?)`);
      }
      if (err instanceof TrinoQueryError) throw new SolutionFailure(modelErrorMessage(run.rel, err));
      if (err instanceof LabError) throw new SolutionFailure(`${run.rel}: ${err.message}`);
      throw err;
    }
  };
  const output = await build('');
  if (!fs.existsSync(output.dir) || !(fs.readdirSync(output.dir, { recursive: true }) as string[]).some((f) => f.endsWith('.parquet'))) {
    throw new SolutionFailure(`${run.rel}: the model ran on Trino but gave no rows`);
  }
  await loadTrinoFiles(target.session, run.table, output.dir);
  target.output = output;
  target.rerun = () => build(`${(target.scratch ?? []).length}`);
  target.incrementalRun = async () => ({ passed: true, message: 'not run on Trino (its dialect has no getvariable): a check without --engine grades the incremental run, on DuckDB' });
}

/** Runs the learner's model for the next day's drop on a copy of its files (see checkIncrementalRun). */
async function incrementalRun(lab: LoadedLab, ex: LoadedExercise, target: RunTarget, run: SolutionRun, output: ModelOutput): Promise<{ passed: boolean; message: string }> {
  const learner = parseModel(run.file, run.source);
  if (!learner.incremental) {
    return { passed: false, message: `${run.rel} is not incremental: add \`-- @incremental\` (with its @partition_by), and filter to getvariable('run_day') when it is set, so a run for a new day rewrites only that day` };
  }
  const drop = lab.def.nextDrop?.(target.dataset.dir);
  if (!drop) return { passed: true, message: 'the next drop has already landed here (`lab drop`): checked on the hidden dataset' };
  const reference = parseModel(ex.solutionFile);
  try {
    return await checkIncrementalRun(target.session, drop, { ...learner, dir: output.dir }, reference);
  } catch (err) {
    return { passed: false, message: `a run for ${drop.day} failed: ${sqlErrorMessage(run.rel, err)}` };
  }
}

/** Reference results are cached per dataset and solution content: only the learner's code runs each time. */
async function materializeReferences(stack: StartedStack, ex: LoadedExercise, targets: RunTarget[], lakehouse?: Lakehouse): Promise<void> {
  if (ex.def.kind === 'model') {
    // The whole reference pipeline is built once per dataset; this model's table is read from it.
    // On Trino, Trino's reference pipeline; upstream checks still read DuckDB's (the same rows, tested).
    const name = parseModel(ex.solutionFile, '').name;
    for (const t of targets) {
      const lake = await referenceLake(stack.lab, t.dataset);
      if (lakehouse) {
        await ensureTrinoReference(stack.lab, t.dataset, lakehouse);
        const dir = path.join(t.dataset.cacheDir, 'runs', `${ex.id}-trino-reference-${process.pid}`);
        (t.scratch ??= []).push(dir);
        await trinoReferenceFiles(ex, t.dataset, lakehouse, dir);
        await loadTrinoFiles(t.session, 'reference', dir);
      } else {
        await t.session.run(`CREATE OR REPLACE TEMP TABLE reference AS SELECT * FROM read_parquet('${modelDir(lake, name)}/**/*.parquet', hive_partitioning = true, union_by_name = true)`);
      }
      await useReferenceUpstream(t.session, stack.lab, lake, name);
    }
    return;
  }
  const solution = fs.readFileSync(ex.solutionFile, 'utf8');
  const digest = crypto.createHash('sha256').update(solution).digest('hex').slice(0, 16);
  const cacheFile = (t: RunTarget) => path.join(t.dataset.cacheDir, 'reference', `${ex.id}-${digest}.parquet`);
  const missing = targets.filter((t) => !fs.existsSync(cacheFile(t)));
  if (missing.length) {
    const failure = await runAll(stack, ex, missing, { file: ex.solutionFile, rel: `reference solution of ${ex.id}`, source: solution, timeoutMs: 10 * 60_000, table: 'reference' });
    if (failure) throw new Error(`The reference solution of ${stack.lab.name}/${ex.id} failed on ${missing[failure.index]!.dataset.label}: ${failure.message}`);
    for (const t of missing) {
      fs.mkdirSync(path.dirname(cacheFile(t)), { recursive: true });
      const tmp = `${cacheFile(t)}.${process.pid}.tmp`;
      await t.session.run(`COPY reference TO '${tmp}' (FORMAT parquet)`);
      fs.renameSync(tmp, cacheFile(t));
    }
  }
  for (const t of targets) {
    if (missing.includes(t)) continue;
    await t.session.run(`CREATE OR REPLACE TEMP TABLE reference AS SELECT * FROM read_parquet('${cacheFile(t)}')`);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

async function runSql(session: SqlSession, run: SolutionRun): Promise<void> {
  const body = run.source.replace(/[\s;]+$/, '');
  if (sqlCode(body).trim() === '') throw new SolutionFailure(`${run.rel}: the file has no query yet`);
  let count: number;
  try {
    count = await session.statementCount(body);
  } catch (err) {
    throw new SolutionFailure(sqlErrorMessage(run.rel, err));
  }
  if (count > 1) throw new SolutionFailure(`${run.rel}: found ${count} statements; the file must hold one query (a single SELECT or WITH … SELECT)`);
  try {
    // Same first line as the learner's file, so DuckDB's LINE numbers point into it.
    await session.runWithTimeout(`CREATE OR REPLACE TEMP TABLE ${run.table} AS ${body}`, run.timeoutMs);
  } catch (err) {
    if (err instanceof QueryTimeoutError) throw new SolutionFailure(`${run.rel}: ${err.message} (an unbounded recursive CTE or a join without its condition?)`);
    throw new SolutionFailure(sqlErrorMessage(run.rel, err));
  }
}

/** An engine error as the learner should read it: `file:line: message`, with a pointer for the usual causes. */
export function sqlErrorMessage(rel: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = /LINE (\d+):/.exec(message)?.[1];
  const lines = message.split('\n').filter((l) => l.trim() && !/^LINE \d+:/.test(l) && !/^\s*\^\s*$/.test(l));
  const candidates = lines.find((l) => /^Candidate/.test(l));
  let text = firstLine(message).replace(/^Failed to extract statements: /, '');
  if (/Out of Memory/i.test(text)) text += ' (the query needs more memory than the lab allows: look for a join that multiplies rows)';
  return `${rel}${line ? `:${line}` : ''}: ${text}${candidates ? ` (${candidates})` : ''}`;
}

/** One Python process runs the solution on every dataset: the interpreter and imports start once. */
async function runPython(stack: StartedStack, ex: LoadedExercise, targets: RunTarget[], run: SolutionRun): Promise<{ index: number; message: string } | undefined> {
  if (!stack.python) throw new Error(`${stack.lab.name} has a Python exercise but no python role`);
  const jobs: Array<{ inputDir: string; outputFile: string }> = [];
  for (const t of targets) {
    const inputDir = await exportTables(stack.lab, t.dataset, t.session);
    const outDir = path.join(t.dataset.cacheDir, 'runs');
    fs.mkdirSync(outDir, { recursive: true });
    const outputFile = path.join(outDir, `${ex.id}-${run.table}-${process.pid}.parquet`);
    fs.rmSync(outputFile, { force: true });
    jobs.push({ inputDir, outputFile });
  }
  const outcome = await stack.python.runSolution({ moduleFile: run.file, library: ex.def.library ?? 'pandas', jobs, timeoutMs: run.timeoutMs });
  try {
    // Outputs written before a failure are still good: load them so their checks can run.
    for (const [index, t] of targets.entries()) {
      if (!fs.existsSync(jobs[index]!.outputFile)) {
        if (outcome.ok) throw new Error(`the Python harness wrote no result for ${t.dataset.label}`);
        const message = outcome.timedOut ? `${run.rel}: ${outcome.message}` : `${run.rel}${outcome.error.line ? `:${outcome.error.line}` : ''}: ${outcome.error.kind}: ${outcome.error.message}`;
        return { index, message };
      }
      await t.session.run(`CREATE OR REPLACE TEMP TABLE ${run.table} AS SELECT * FROM read_parquet('${jobs[index]!.outputFile}')`);
    }
    return undefined;
  } finally {
    for (const job of jobs) fs.rmSync(job.outputFile, { force: true });
  }
}

/** The dataset's tables as parquet files, written once per dataset, for Python solutions. */
async function exportTables(lab: LoadedLab, dataset: Dataset, session: SqlSession): Promise<string> {
  const dir = path.join(dataset.cacheDir, 'parquet');
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return dir;
  fs.mkdirSync(dir, { recursive: true });
  for (const table of lab.def.tables) {
    // A dotted name (bronze.orders) becomes bronze_orders: solve()'s parameter names are identifiers.
    await session.run(`COPY (SELECT * FROM ${table}) TO '${path.join(dir, `${table.replace(/\./g, '_')}.parquet`)}' (FORMAT parquet)`);
  }
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
}
