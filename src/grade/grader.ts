import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedExercise, LoadedLab } from '../lab/load.js';
import type { LabPaths } from '../paths.js';
import type { Dataset, StartedStack } from '../runtime/runtime.js';
import { QueryTimeoutError, type SqlSession } from '../services/duckdb.js';
import { learnerFile, workspaceRelative } from '../workspace/workspace.js';
import { sqlCode } from '../lab/checks.js';

export const DEFAULT_TIMEOUT_MS = { sql: 20_000, python: 60_000 } as const;

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
  onExercise?: (result: ExerciseResult) => void;
}

/** Why a solution produced no result: shown to the learner as file:line: message. */
class SolutionFailure extends Error {}

export async function gradeLab(stack: StartedStack, paths: LabPaths, exercises: LoadedExercise[], opts: GradeOptions = {}): Promise<LabReport> {
  // Python solutions run in their own process: start them one after another in the background,
  // so they overlap the SQL exercises graded in this process; results are still reported in order.
  const background = new Map<LoadedExercise, Promise<ExerciseResult>>();
  let chain: Promise<unknown> = Promise.resolve();
  for (const ex of exercises.filter((e) => e.def.kind === 'python')) {
    const graded = chain.catch(() => undefined).then(() => gradeExercise(stack, paths, ex, opts));
    graded.catch(() => undefined); // awaited below, in order; this only keeps an early failure from being "unhandled"
    background.set(ex, graded);
    chain = graded;
  }
  const results: ExerciseResult[] = [];
  try {
    for (const ex of exercises) {
      const result = await (background.get(ex) ?? gradeExercise(stack, paths, ex, opts));
      results.push(result);
      opts.onExercise?.(result);
    }
  } finally {
    await chain.catch(() => undefined); // never leave a Python run behind a thrown error
  }
  return {
    lab: stack.lab.name,
    runtime: stack.runtime,
    score: results.filter((r) => r.passed).length,
    max: results.length,
    exercises: results,
  };
}

export async function gradeExercise(stack: StartedStack, paths: LabPaths, ex: LoadedExercise, opts: GradeOptions = {}): Promise<ExerciseResult> {
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
  const runs: RunTarget[] = [];
  try {
    for (const dataset of stack.datasets) runs.push({ dataset, session: await dataset.sql.session() });
    await materializeReferences(stack, ex, runs);
    const failure = await runAll(stack, ex, runs, { file, rel, source, timeoutMs, table: 'learner' });
    for (const [i, { dataset, session }] of runs.entries()) {
      if (failure && failure.index === i) {
        checks.push({ name: `runs on ${dataset.label}`, passed: false, message: failure.message });
        break; // the same failure would repeat on the next dataset
      }
      for (const check of ex.def.checks) {
        if (check.on !== 'results') continue;
        const outcome = await check.run({ dataset: dataset.label, hidden: dataset.hidden, session, learnerTable: 'learner', referenceTable: 'reference' });
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
  }
  return finish();
}

interface RunTarget {
  dataset: Dataset;
  session: SqlSession;
}

interface SolutionRun {
  file: string;
  rel: string;
  source: string;
  timeoutMs: number;
  table: string;
}

/** Runs a solution on each target in order; returns the first failure, when there is one. */
async function runAll(stack: StartedStack, ex: LoadedExercise, targets: RunTarget[], run: SolutionRun): Promise<{ index: number; message: string } | undefined> {
  if (ex.def.kind === 'python') return runPython(stack, ex, targets, run);
  for (const [index, target] of targets.entries()) {
    try {
      await runSql(target.session, run);
    } catch (err) {
      if (err instanceof SolutionFailure) return { index, message: err.message };
      throw err;
    }
  }
  return undefined;
}

/** Reference results are cached per dataset and solution content: only the learner's code runs each time. */
async function materializeReferences(stack: StartedStack, ex: LoadedExercise, targets: RunTarget[]): Promise<void> {
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

function sqlErrorMessage(rel: string, err: unknown): string {
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
    await session.run(`COPY (SELECT * FROM ${table}) TO '${path.join(dir, `${table}.parquet`)}' (FORMAT parquet)`);
  }
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
}
