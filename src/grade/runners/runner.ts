import type { ExerciseKind, KindContexts, RunContext } from '../../lab/define.js';
import type { LoadedExercise } from '../../lab/load.js';
import type { SqlSession } from '../../services/duckdb.js';
import type { ModelEngine } from '../../runtime/models/engine.js';
import type { Dataset, StartedStack } from '../../runtime/runtime.js';

/** One dataset a solution runs on: the judge's DuckDB session there, and folders to remove once graded. */
export interface Target {
  dataset: Dataset;
  session: SqlSession;
  scratch: string[];
}

/** A solution file to run: the learner's, or the reference (the same code path, another table). */
export interface Solution {
  file: string;
  /** Workspace-relative, for messages. */
  rel: string;
  source: string;
  timeoutMs: number;
  /** The table its result becomes in each target's session: `learner` or `reference`. */
  table: string;
}

/** Why a solution produced no result on the target at `index`: shown as `file:line: message`. */
export interface RunFailure {
  index: number;
  message: string;
  timedOut: boolean;
}

/** A solution that did not run; runners throw it, and turn it into a RunFailure. */
export class SolutionFailure extends Error {
  constructor(
    message: string,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

/** What a runner gets for one exercise. */
export interface Job {
  stack: StartedStack;
  ex: LoadedExercise;
  /** Where model exercises are built (`--engine`), when not the stack's default. */
  engine?: ModelEngine;
}

/** The part of a result check's context a kind adds to every run's (RunContext). */
export type KindExtras<K extends ExerciseKind> = Omit<KindContexts[K], keyof RunContext>;

/**
 * How one kind of exercise runs, as dbt has a runner per node type: the pipeline in grader.ts
 * calls these and never asks which kind it runs.
 */
export interface ExerciseRunner<K extends ExerciseKind = ExerciseKind> {
  readonly kind: K;
  readonly defaultTimeoutMs: number;
  /** What it competes with for the cores: one exercise per lane grades at a time. */
  readonly lane: 'duckdb' | 'python' | 'stream';
  /** What else a grade depends on (beyond the program, the data, the learner's file and its reference). */
  fingerprint(job: Job): Promise<string[]>;
  /** Fills each target's `reference` table; a kind judged against hidden labels does nothing. */
  prepareReference(job: Job, targets: Target[]): Promise<void>;
  /** Runs the learner's file on each target in order; the first failure ends the run. */
  runLearner(job: Job, targets: Target[], solution: Solution): Promise<{ failure?: RunFailure; extras: Array<KindExtras<K>>; printed?: string }>;
}

/** Runs `each` on every target in order; a SolutionFailure ends the run as that target's failure. */
export async function runEach(targets: Target[], each: (target: Target) => Promise<void>): Promise<RunFailure | undefined> {
  for (const [index, target] of targets.entries()) {
    try {
      await each(target);
    } catch (err) {
      if (err instanceof SolutionFailure) return { index, message: err.message, timedOut: err.timedOut };
      throw err;
    }
  }
  return undefined;
}
