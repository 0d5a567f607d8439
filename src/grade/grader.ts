import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errorMessage, LabError } from '../errors.js';
import { errored, type CheckOutcome, type Check } from '../lab/define.js';
import type { LoadedExercise } from '../lab/load.js';
import type { LabPaths } from '../paths.js';
import { openDatasetSession } from '../runtime/dataset-session.js';
import type { ModelEngine } from '../runtime/models/engine.js';
import type { Dataset, StartedStack } from '../runtime/runtime.js';
import { learnerFile, workspaceRelative } from '../workspace/workspace.js';
import { labDigest, programDigest } from './fingerprint.js';
import { runnerFor } from './runners/index.js';
import type { ExerciseRunner, Job, Target } from './runners/runner.js';

export interface CheckResult extends CheckOutcome {
  name: string;
  /** True for pass and skipped: nothing is wrong with the solution. */
  passed: boolean;
}

export interface ExerciseResult {
  id: string;
  title: string;
  files: string[];
  passed: boolean;
  checks: CheckResult[];
  /** What the solution printed on the learner's seed (Python's print()), for the report. */
  printed?: string;
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
  /** Where model exercises are built and judged (`--engine trino`), instead of the stack's default. */
  engine?: ModelEngine;
  /** Told which exercises were not re-run because nothing they depend on changed. */
  onReused?: (id: string) => void;
  onExercise?: (result: ExerciseResult) => void;
  /** Only these of the stack's datasets (a grade on some of them is never saved for reuse). */
  datasets?: Dataset[];
}

const result = (name: string, o: CheckOutcome): CheckResult => ({ name, ...o, passed: o.status === 'pass' || o.status === 'skipped' });

/** Grades exercises one per lane at a time (what they compete with for the cores), reported in exercise order. */
export async function gradeLab(stack: StartedStack, paths: LabPaths, exercises: LoadedExercise[], opts: GradeOptions = {}): Promise<LabReport> {
  const lanes = new Map<string, Promise<unknown>>();
  const pending = exercises.map((ex) => {
    const lane = runnerFor(ex.def.kind).lane;
    const graded = (lanes.get(lane) ?? Promise.resolve()).catch(() => undefined).then(() => gradeExercise(stack, paths, ex, opts));
    graded.catch(() => undefined); // awaited below, in order; this only keeps an early failure from being "unhandled"
    lanes.set(lane, graded);
    return graded;
  });
  const results: ExerciseResult[] = [];
  try {
    for (const graded of pending) {
      const r = await graded;
      results.push(r);
      opts.onExercise?.(r);
    }
  } finally {
    await Promise.allSettled(pending); // never leave a run behind a thrown error
  }
  return { lab: stack.lab.name, runtime: stack.runtime, score: results.filter((r) => r.passed).length, max: results.length, exercises: results };
}

/** Everything a grade depends on: the same fingerprint means the same result. */
async function gradeFingerprint(job: Job, runner: ExerciseRunner, source: string, timeoutMs: number): Promise<string> {
  const { stack, ex } = job;
  const hash = crypto.createHash('sha256').update(programDigest()).update(labDigest(stack.lab.name));
  hash.update(source).update(fs.readFileSync(ex.solutionFile)).update(String(timeoutMs));
  for (const d of stack.datasets) hash.update(`${d.seed}/${d.scale}/${d.revision}`);
  if (stack.lab.def.pythonRequirements) hash.update(fs.readFileSync(path.join(stack.lab.dir, stack.lab.def.pythonRequirements)));
  for (const part of await runner.fingerprint(job)) hash.update(part);
  return hash.digest('hex');
}

/**
 * Grades an exercise, or reuses the last grade when nothing it depends on changed (the program, the
 * data, the learner's file, the reference): a check after editing one file re-runs one.
 */
export async function gradeExercise(stack: StartedStack, paths: LabPaths, ex: LoadedExercise, opts: GradeOptions = {}): Promise<ExerciseResult> {
  const file = learnerFile(paths, stack.lab, ex);
  const job: Job = { stack, ex, engine: opts.engine };
  const runner = runnerFor(ex.def.kind);
  if (!fs.existsSync(file)) return runGrade(job, runner, paths, opts);
  const timeoutMs = opts.timeoutMs ?? ex.def.timeoutMs ?? runner.defaultTimeoutMs;
  const key = await gradeFingerprint(job, runner, fs.readFileSync(file, 'utf8'), timeoutMs);
  const store = path.join(stack.datasets[0]!.cacheDir, 'grades', `${ex.id}${opts.engine ? `-${opts.engine.name}` : ''}.json`);
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
  const graded = await runGrade(job, runner, paths, opts);
  // A timeout depends on how busy the machine was: grade that one again next time.
  if (!graded.checks.some((c) => c.timedOut) && !opts.datasets) {
    fs.mkdirSync(path.dirname(store), { recursive: true });
    fs.writeFileSync(`${store}.${process.pid}.tmp`, JSON.stringify({ key, result: graded }));
    fs.renameSync(`${store}.${process.pid}.tmp`, store);
  }
  return graded;
}

/** A check that threw did not run: an error of that check, with its message, not a crash of the whole grade. */
async function runCheck<C>(check: { run: (ctx: C) => Promise<CheckOutcome> | CheckOutcome }, ctx: C): Promise<CheckOutcome> {
  try {
    return await check.run(ctx);
  } catch (err) {
    if (err instanceof LabError) throw err;
    return errored(`the check could not run: ${errorMessage(err).split('\n')[0]}`);
  }
}

/** The pipeline: source checks → reference → learner → result checks → report. */
async function runGrade(job: Job, runner: ExerciseRunner, paths: LabPaths, opts: GradeOptions): Promise<ExerciseResult> {
  const { stack, ex } = job;
  const rel = workspaceRelative(stack.lab, ex);
  const file = learnerFile(paths, stack.lab, ex);
  const checks: CheckResult[] = [];
  let printed: string | undefined;
  const finish = (): ExerciseResult => ({ id: ex.id, title: ex.def.title, files: [rel], passed: checks.length > 0 && checks.every((c) => c.passed), checks, ...(printed?.trim() ? { printed } : {}) });

  if (!fs.existsSync(file)) {
    checks.push(result('file exists', errored(`workspace/${rel} is missing: run \`lab up ${stack.lab.name}\` to re-create it from the template (your other files are kept)`)));
    return finish();
  }
  const source = fs.readFileSync(file, 'utf8');
  const all = ex.def.checks as Check[];
  for (const check of all) {
    if (check.on === 'source') checks.push(result(check.name, await runCheck(check, { source, file: rel, absFile: file, kind: ex.def.kind, service: (role) => stack.service(role) })));
  }
  const targets: Target[] = [];
  try {
    for (const dataset of opts.datasets ?? stack.datasets) targets.push({ dataset, session: await openDatasetSession(stack.lab, dataset), scratch: [] });
    try {
      await runner.prepareReference(job, targets);
    } catch (err) {
      if (err instanceof LabError) throw err;
      checks.push(result('reference solution', errored(`${errorMessage(err).split('\n')[0]} — the lab's own reference did not run: a bug in the lab, not in your solution (please report it)`)));
      return finish();
    }
    const timeoutMs = opts.timeoutMs ?? ex.def.timeoutMs ?? runner.defaultTimeoutMs;
    const run = await runner.runLearner(job, targets, { file, rel, source, timeoutMs, table: 'learner' });
    const { failure, extras } = run;
    printed = run.printed;
    for (const [i, { dataset, session }] of targets.entries()) {
      if (failure?.index === i) {
        checks.push(result(`runs on ${dataset.label}`, errored(failure.message, { timedOut: failure.timedOut })));
        break; // the same failure would repeat on the next dataset
      }
      const ctx = { dataset: dataset.label, hidden: dataset.hidden, session, learnerTable: 'learner', referenceTable: 'reference', ...extras[i] };
      for (const check of all) {
        if (check.on !== 'results') continue;
        const o = await runCheck(check, ctx as Parameters<typeof check.run>[0]);
        const hint = o.status === 'fail' && dataset.hidden ? '\n(on a second dataset you have not seen: a solution must not depend on the particular seeded values)' : '';
        checks.push(result(`${check.name} · ${dataset.label}`, { ...o, message: o.message + hint }));
      }
    }
  } finally {
    for (const t of targets) t.session.close();
    for (const t of targets) for (const dir of t.scratch) fs.rmSync(dir, { recursive: true, force: true });
  }
  return finish();
}
