import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../../errors.js';
import { fail, skipped, type CheckOutcome } from '../../lab/define.js';
import { parseModel, referenceDigest, type Model } from '../../lab/models.js';
import { ModelBuildError, type ModelEngine } from '../../runtime/models/engine.js';
import { sqlCode } from '../../sql.js';
import { runEach, SolutionFailure, type ExerciseRunner, type Job, type KindExtras, type Solution, type Target } from './runner.js';

const engineOf = (job: Job): Promise<ModelEngine> => (job.engine ? Promise.resolve(job.engine) : job.stack.modelEngine());

/** A folder of this grade's own in the dataset's cache, removed once graded. */
function scratch(target: Target, name: string): string {
  const dir = path.join(target.dataset.cacheDir, 'runs', `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  target.scratch.push(dir);
  return dir;
}

/** The learner's model for the next day's drop, on a copy of its files: it must rewrite that day only. */
async function incrementalRun(job: Job, engine: ModelEngine, target: Target, model: Model, solution: Solution, dir: string): Promise<CheckOutcome> {
  if (engine.noIncrementalRuns || !engine.incrementalRun) return skipped(engine.noIncrementalRuns ?? `not run on ${engine.label}`);
  if (!model.incremental) {
    return fail(`${solution.rel} is not incremental: add \`-- @incremental\` (with its @partition_by), and filter to getvariable('run_day') when it is set, so a run for a new day rewrites only that day`);
  }
  const drop = job.stack.lab.def.nextDrop?.(target.dataset.dir);
  if (!drop) return skipped('the next drop has already landed here (`lab drop`): checked on the hidden dataset');
  const build = { lab: job.stack.lab, dataset: target.dataset, session: target.session, model, dir, timeoutMs: solution.timeoutMs, rel: solution.rel, tag: 'incremental' };
  return engine.incrementalRun({ ...build, output: { dir, partitionBy: model.partitionBy }, drop, reference: parseModel(job.ex.solutionFile) });
}

/** One table of a pipeline: built with the reference pipeline upstream, its files judged by DuckDB. */
export const modelRunner: ExerciseRunner<'model'> = {
  kind: 'model',
  defaultTimeoutMs: 60_000,
  lane: 'duckdb',

  // A model reads the reference pipeline's upstream tables, in the checks' dialect and the engine's.
  async fingerprint(job) {
    const engine = await engineOf(job);
    return [engine.name, referenceDigest(job.stack.lab), referenceDigest(job.stack.lab, engine.dialect)];
  },

  async prepareReference(job, targets) {
    const engine = await engineOf(job);
    for (const t of targets) await engine.prepareReference(job.stack.lab, job.ex, t.dataset, t.session, scratch(t, `${job.ex.id}-reference`));
  },

  async runLearner(job, targets, solution) {
    const engine = await engineOf(job);
    const extras: Array<KindExtras<'model'>> = [];
    const failure = await runEach(targets, async (t) => {
      if (sqlCode(solution.source).trim() === '') throw new SolutionFailure(`${solution.rel}: the file has no query yet`);
      let model: Model;
      try {
        model = parseModel(solution.file, solution.source);
      } catch (err) {
        if (err instanceof LabError) throw new SolutionFailure(`${solution.rel}: ${err.message}`);
        throw err;
      }
      let builds = 0;
      const build = async () => {
        const tag = builds++ === 0 ? '' : String(builds);
        try {
          return await engine.build({ lab: job.stack.lab, dataset: t.dataset, session: t.session, model, dir: scratch(t, `${job.ex.id}-${engine.name}-${solution.table}${tag}`), timeoutMs: solution.timeoutMs, rel: solution.rel, tag });
        } catch (err) {
          if (err instanceof ModelBuildError) throw new SolutionFailure(err.message, err.timedOut);
          throw err;
        }
      };
      const output = await build();
      await engine.load(t.session, output, solution.table);
      extras.push({ learnerOutput: output, rerunLearner: build, incrementalRun: () => incrementalRun(job, engine, t, model, solution, output.dir) });
    });
    return { failure, extras };
  },
};
