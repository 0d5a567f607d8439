import fs from 'node:fs';
import path from 'node:path';
import type { LoadedLab } from '../../lab/load.js';
import type { Dataset } from '../../runtime/runtime.js';
import type { SqlSession } from '../../services/duckdb.js';
import { quoteLiteral } from '../../sql.js';
import { cachedReference } from './reference.js';
import type { ExerciseRunner, Job, RunFailure, Solution, Target } from './runner.js';

const ROW_GROUP_ROWS = 8_192;

/** The dataset's tables as Parquet files, written once per dataset revision, for `solve()`'s parameters. */
async function exportTables(lab: LoadedLab, dataset: Dataset, session: SqlSession): Promise<string> {
  const dir = path.join(dataset.cacheDir, 'parquet');
  // The marker names the export's format: files exported before in one row group are exported again.
  const done = path.join(dir, `.complete-rg${ROW_GROUP_ROWS}`);
  if (fs.existsSync(done)) return dir;
  fs.mkdirSync(dir, { recursive: true });
  for (const table of lab.def.tables) {
    // A dotted name (bronze.orders) becomes bronze_orders: solve()'s parameter names are identifiers.
    // Row groups of 8,192 rows: Spark splits a file by row group, so a table is read by several tasks
    // (map outputs adaptive execution can split a skewed partition along), as on a cluster.
    await session.run(`COPY (SELECT * FROM ${table}) TO ${quoteLiteral(path.join(dir, `${table.replace(/\./g, '_')}.parquet`))} (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`);
  }
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
}

/** One Python process runs the solution on every target: the interpreter and imports start once. */
/** With --debug, a Python error shows its whole traceback. */
const debugTraceback = (tb: string | undefined) => (process.env.LAB_DEBUG && tb ? `\n${tb.trimEnd()}` : '');

/**
 * Runs the solution on every target into its table. A PySpark run also says, per target it ran on,
 * the physical plan Spark executed (`plans`), for the checks on the plan.
 */
async function runSolve(job: Job, targets: Target[], solution: Solution, printed: string[] = [], plans: Array<string | undefined> = []): Promise<RunFailure | undefined> {
  const { stack, ex } = job;
  const python = await stack.service('python');
  const jobs: Array<{ inputDir: string; outputFile: string }> = [];
  for (const t of targets) {
    const inputDir = await exportTables(stack.lab, t.dataset, t.session);
    const outDir = path.join(t.dataset.cacheDir, 'runs');
    fs.mkdirSync(outDir, { recursive: true });
    const outputFile = path.join(outDir, `${ex.id}-${solution.table}-${process.pid}.parquet`);
    fs.rmSync(outputFile, { force: true });
    jobs.push({ inputDir, outputFile });
  }
  const library = ex.def.kind === 'python' ? (ex.def.library ?? 'pandas') : 'pandas';
  const sparkConf = ex.def.kind === 'python' && library === 'pyspark' ? ex.def.sparkConf : undefined;
  const outcome = await python.runSolution({ moduleFile: solution.file, library, jobs, timeoutMs: solution.timeoutMs, sparkConf });
  printed.push(...outcome.printed);
  for (const j of jobs) {
    const planFile = `${j.outputFile}.plan`;
    plans.push(fs.existsSync(planFile) ? fs.readFileSync(planFile, 'utf8') : undefined);
    fs.rmSync(planFile, { force: true });
  }
  try {
    // Outputs written before a failure are still good: load them so their checks can run.
    for (const [index, t] of targets.entries()) {
      if (!fs.existsSync(jobs[index]!.outputFile)) {
        if (outcome.ok) throw new Error(`the Python harness wrote no result for ${t.dataset.label}`);
        if (outcome.timedOut) return { index, message: `${solution.rel}: ${outcome.message}`, timedOut: true };
        return { index, message: `${solution.rel}${outcome.error.line ? `:${outcome.error.line}` : ''}: ${outcome.error.kind}: ${outcome.error.message}${debugTraceback(outcome.error.traceback)}`, timedOut: false };
      }
      await t.session.run(`CREATE OR REPLACE TEMP TABLE ${solution.table} AS SELECT * FROM read_parquet(${quoteLiteral(jobs[index]!.outputFile)})`);
    }
    return undefined;
  } finally {
    for (const j of jobs) fs.rmSync(j.outputFile, { force: true });
  }
}

export const pythonRunner: ExerciseRunner<'python'> = {
  kind: 'python',
  defaultTimeoutMs: 60_000,
  // Python runs in its own process beside DuckDB's queries.
  lane: 'python',
  fingerprint: async () => [],
  prepareReference: (job, targets) => cachedReference(job, targets, (ts, s) => runSolve(job, ts, s)),
  async runLearner(job, targets, solution) {
    const printed: string[] = [];
    const plans: Array<string | undefined> = [];
    const failure = await runSolve(job, targets, solution, printed, plans);
    // What solve() printed on the learner's own seed (the hidden seed's would give the data away).
    return { failure, extras: plans.map((plan) => (plan === undefined ? {} : { plan })), printed: printed[0] };
  },
};
