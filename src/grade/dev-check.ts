import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { compareTables } from '../lab/compare.js';
import type { LoadedExercise, LoadedLab } from '../lab/load.js';
import { modelExercises } from '../lab/models.js';
import type { LabPaths } from '../paths.js';
import { openDatasetSession } from '../runtime/dataset-session.js';
import type { ModelEngine } from '../runtime/models/engine.js';
import type { Dataset, StartedStack } from '../runtime/runtime.js';
import { learnerFile } from '../workspace/workspace.js';
import { gradeExercise, type ExerciseResult } from './grader.js';

/** What `lab dev check` found wrong with one exercise (or the lab, when `exercise` is absent). */
export interface Finding {
  exercise?: string;
  problem: string;
  /** Not the lab's fault: a measured threshold (latency) this machine was too busy to meet; shown, not counted. */
  warning?: true;
}

/** The lab as data: a lesson, exercises numbered once each, every one with a title, a template, a solution and hints. */
export function validateLab(lab: LoadedLab): Finding[] {
  const findings: Finding[] = [];
  if (!fs.existsSync(path.join(lab.dir, 'README.md'))) findings.push({ problem: 'has no README.md lesson' });
  if (lab.exercises.length === 0) findings.push({ problem: 'has no exercises' });
  const numbers = new Map<string, string[]>();
  for (const ex of lab.exercises) {
    const n = /^(\d+)-[a-z0-9-]+$/.exec(ex.id)?.[1];
    if (!n) findings.push({ exercise: ex.id, problem: 'the folder is not named <number>-<name> (lowercase, dashes)' });
    else numbers.set(String(Number(n)), [...(numbers.get(String(Number(n))) ?? []), ex.id]);
    if (!ex.def.title?.trim()) findings.push({ exercise: ex.id, problem: 'has no title' });
    if (ex.hints.length < 2) findings.push({ exercise: ex.id, problem: `has ${ex.hints.length} hint${ex.hints.length === 1 ? '' : 's'} in hints.md (## sections); a learner needs at least 2` });
    if (ex.hints.some((h) => !h.trim())) findings.push({ exercise: ex.id, problem: 'has an empty hint' });
    if (!ex.def.checks.some((c) => c.on === 'results')) findings.push({ exercise: ex.id, problem: 'has no check on its results' });
    if (!ex.def.traps?.length) findings.push({ exercise: ex.id, problem: 'declares no traps: the cases its statement warns about, with a query that finds them in the data' });
    if (fs.readFileSync(ex.templateFile, 'utf8') === fs.readFileSync(ex.solutionFile, 'utf8')) findings.push({ exercise: ex.id, problem: 'its template is its solution' });
  }
  for (const [n, ids] of numbers) if (ids.length > 1) findings.push({ problem: `exercises ${ids.join(' and ')} share the number ${n}: \`lab check ${lab.name} ${n}\` could not tell them apart` });
  return findings;
}

const failedChecks = (r: ExerciseResult) => r.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message.split('\n')[0]}`);

/** How many times a reference that misses only a measured threshold is graded again. */
const MEASUREMENT_RETAKES = 2;

export const failedOnlyMeasurements = (r: ExerciseResult) => r.checks.every((c) => c.passed || (c.status === 'fail' && c.score !== undefined && c.threshold !== undefined));

/** A solution that should fail: graded on the first dataset, and on the others only if it passed there (one failure is enough). */
async function gradeUntilFailing(stack: StartedStack, paths: LabPaths, ex: LoadedExercise): Promise<ExerciseResult> {
  const [first, ...rest] = stack.datasets;
  const graded = await gradeExercise(stack, paths, ex, { fresh: true, datasets: [first!] });
  if (!graded.passed || rest.length === 0) return graded;
  return gradeExercise(stack, paths, ex, { fresh: true, datasets: rest });
}

/** Like rustlings' `dev check`: the template and every planted wrong solution fail, and the reference passes, on both seeds. Writes into `paths`' workspace. */
export async function checkExercise(stack: StartedStack, paths: LabPaths, ex: LoadedExercise): Promise<Finding[]> {
  const findings: Finding[] = [];
  const file = learnerFile(paths, stack.lab, ex);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(ex.templateFile, file);
  const template = await gradeUntilFailing(stack, paths, ex);
  if (template.passed) findings.push({ exercise: ex.id, problem: 'the template passes: a learner who does nothing would be told they are done' });
  if (template.checks.some((c) => !c.passed && !c.message.trim())) findings.push({ exercise: ex.id, problem: 'a check fails the template with no message' });
  for (const wrong of ex.wrongFiles) {
    fs.copyFileSync(wrong, file);
    const graded = await gradeUntilFailing(stack, paths, ex);
    const mistake = fs.readFileSync(wrong, 'utf8').split('\n')[0]!.replace(/^(--|#|\/\/)\s*/, '');
    if (graded.passed) findings.push({ exercise: ex.id, problem: `the wrong solution wrong/${path.basename(wrong)} passes (${mistake}): the data or the checks let it through` });
    else if (!graded.checks.some((c) => c.status === 'fail')) findings.push({ exercise: ex.id, problem: `the wrong solution wrong/${path.basename(wrong)} does not run: ${failedChecks(graded).join('; ')}` });
  }
  fs.copyFileSync(ex.solutionFile, file);
  let solution = await gradeExercise(stack, paths, ex, { fresh: true });
  // A measurement (latency at a rate) on a busy machine is taken again before it counts against the
  // reference: only a reference that misses it every time is the lab's fault.
  for (let retake = 0; retake < MEASUREMENT_RETAKES && !solution.passed && failedOnlyMeasurements(solution); retake++) {
    solution = await gradeExercise(stack, paths, ex, { fresh: true });
  }
  if (!solution.passed && failedOnlyMeasurements(solution)) {
    // A timing target is a benchmark's to judge: the templates and wrong solutions above still had to fail.
    findings.push({ exercise: ex.id, warning: true, problem: `the reference missed only a measured threshold, ${1 + MEASUREMENT_RETAKES} times: this machine is too busy to prove it here (${failedChecks(solution).join('; ')})` });
  } else if (!solution.passed) findings.push({ exercise: ex.id, problem: `the reference solution fails: ${failedChecks(solution).join('; ')}` });
  for (const d of stack.datasets) {
    if (!solution.checks.some((c) => c.name.endsWith(` · ${d.label}`))) findings.push({ exercise: ex.id, problem: `no check ran on ${d.label}` });
  }
  return findings;
}

/** How often each declared trap occurs in a dataset, by `<exercise>: <trap>`; a trap whose query fails counts -1. */
export async function countTraps(lab: LoadedLab, dataset: Dataset): Promise<Map<string, { count: number; error?: string }>> {
  const counts = new Map<string, { count: number; error?: string }>();
  const session = await openDatasetSession(lab, dataset);
  try {
    for (const ex of lab.exercises) {
      for (const trap of ex.def.traps ?? []) {
        try {
          counts.set(`${ex.id}: ${trap.name}`, { count: Number(await session.scalar(trap.count)) });
        } catch (err) {
          counts.set(`${ex.id}: ${trap.name}`, { count: -1, error: (err as Error).message.split('\n')[0] });
        }
      }
    }
  } finally {
    session.close();
  }
  return counts;
}

/** Every declared trap occurs in each dataset: a wrong solution that ignores it cannot pass by luck of the seed. */
export async function checkTraps(lab: LoadedLab, datasets: Array<{ dataset: Dataset; label: string }>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const { dataset, label } of datasets) {
    for (const [key, { count, error }] of await countTraps(lab, dataset)) {
      const [exercise, name] = key.split(/: (.*)/s) as [string, string];
      if (error) findings.push({ exercise, problem: `the trap '${name}' has a query that fails on ${label}: ${error}` });
      else if (count <= 0) findings.push({ exercise, problem: `the trap '${name}' does not occur on ${label}: plant it in the generator, so a solution that ignores it fails` });
    }
  }
  return findings;
}

/** The dialects a lab's model exercises carry a reference in (solution/<dialect>/), e.g. trino. */
export function referenceDialects(lab: LoadedLab): string[] {
  const dialects = new Set<string>();
  for (const ex of modelExercises(lab)) {
    const dir = path.join(ex.dir, 'solution');
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) dialects.add(d.name);
  }
  return [...dialects].sort();
}

/** The engine's reference pipeline gives the DuckDB reference's rows, table by table, on every dataset of the stack. */
export async function compareReferences(stack: StartedStack, engine: ModelEngine, scratch: string): Promise<Finding[]> {
  const duckdb = await stack.modelEngine();
  const findings: Finding[] = [];
  for (const ex of modelExercises(stack.lab)) {
    if (!fs.existsSync(path.join(ex.dir, 'solution', engine.dialect, ex.def.file))) {
      findings.push({ exercise: ex.id, problem: `has no reference in ${engine.label}'s dialect (solution/${engine.dialect}/${ex.def.file})` });
      continue;
    }
    for (const dataset of stack.datasets) {
      const session = await openDatasetSession(stack.lab, dataset);
      const dir = path.join(scratch, ex.id, dataset.hidden ? 'hidden' : 'main');
      try {
        await duckdb.load(session, await duckdb.referenceFiles(stack.lab, ex, dataset, dir), 'duckdb_reference');
        await engine.load(session, await engine.referenceFiles(stack.lab, ex, dataset, dir), 'engine_reference');
        const same = await compareTables(session, 'engine_reference', 'duckdb_reference');
        if (same.status !== 'pass') findings.push({ exercise: ex.id, problem: `on ${dataset.label}, ${engine.label}'s reference differs from DuckDB's: ${same.message.split('\n').join('; ')}` });
      } catch (err) {
        if (err instanceof LabError) throw err;
        findings.push({ exercise: ex.id, problem: `on ${dataset.label}, ${engine.label}'s reference did not build: ${(err as Error).message.split('\n')[0]}` });
      } finally {
        session.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return findings;
}
