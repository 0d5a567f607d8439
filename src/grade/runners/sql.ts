import { duckdbErrorMessage, QueryTimeoutError } from '../../services/duckdb.js';
import { countStatements, sqlCode, trimStatement } from '../../sql.js';
import { cachedReference } from './reference.js';
import { runEach, SolutionFailure, type ExerciseRunner, type Solution, type Target } from './runner.js';

/** One query; its rows become the solution's table. */
async function runQuery(target: Target, solution: Solution): Promise<void> {
  const body = trimStatement(solution.source);
  if (sqlCode(body).trim() === '') throw new SolutionFailure(`${solution.rel}: the file has no query yet`);
  const count = countStatements(body);
  if (count > 1) throw new SolutionFailure(`${solution.rel}: found ${count} statements; the file must hold one query (a single SELECT or WITH … SELECT)`);
  try {
    // Same first line as the learner's file, so DuckDB's LINE numbers point into it.
    await target.session.runWithTimeout(`CREATE OR REPLACE TEMP TABLE ${solution.table} AS ${body}`, solution.timeoutMs);
  } catch (err) {
    if (err instanceof QueryTimeoutError) throw new SolutionFailure(`${solution.rel}: ${err.message} (an unbounded recursive CTE or a join without its condition?)`, true);
    throw new SolutionFailure(duckdbErrorMessage(solution.rel, err));
  }
}

const runQueries = (targets: Target[], solution: Solution) => runEach(targets, (t) => runQuery(t, solution));

export const sqlRunner: ExerciseRunner<'sql'> = {
  kind: 'sql',
  defaultTimeoutMs: 20_000,
  // DuckDB already uses every core: two SQL lanes measured no faster.
  lane: 'duckdb',
  fingerprint: async () => [],
  prepareReference: (job, targets) => cachedReference(job, targets, runQueries),
  async runLearner(_job, targets, solution) {
    return { failure: await runQueries(targets, solution), extras: targets.map(() => ({})) };
  },
};
