import type { CheckOutcome, ModelOutput, NextDrop } from '../../lab/define.js';
import type { LoadedExercise, LoadedLab } from '../../lab/load.js';
import type { Model } from '../../lab/models.js';
import type { SqlSession } from '../../services/duckdb.js';
import type { Dataset } from '../runtime.js';

/** One build of a model for grading: the judge's DuckDB session is always the one that reads the result. */
export interface ModelBuild {
  lab: LoadedLab;
  dataset: Dataset;
  /** The judge's session on the dataset, with the reference pipeline's tables upstream. */
  session: SqlSession;
  model: Model;
  /** Where the build's Parquet files end up (copied back when the engine writes elsewhere). */
  dir: string;
  timeoutMs: number;
  /** The learner's file, workspace-relative: errors point into it. */
  rel: string;
  /** Tells this build from the others of one grade (a second run for the idempotency check). */
  tag: string;
}

/** A model that did not build, said for the learner (`file:line: message`). */
export class ModelBuildError extends Error {
  constructor(
    message: string,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

/** The learner's pipeline where it lives on an engine (`lab run`): the lake's folders, or the catalog's tables. */
export interface ModelPipeline {
  /** Where the tables go, for the first line of `lab run`. */
  readonly where: string;
  /** What to do with the tables once built, for the last line. */
  readonly next: string;
  /** Builds one model; a failure the learner caused is a ModelBuildError. */
  build(model: Model, opts: { rel: string; timeoutMs?: number }): Promise<{ rows: number; detail: string }>;
  close(): void;
}

/**
 * Where a lab's models are built: DuckDB over the lake folder, or Trino into Iceberg tables on the
 * lakehouse stack. The runtime hands one over; the grader's model runner never names an engine.
 */
export interface ModelEngine {
  readonly name: string;
  readonly label: string;
  /** Its reference solutions live in solution/<dialect>/, or in solution/ when '' (the checks' own dialect). */
  readonly dialect: string;
  /** This model's table of the engine's reference pipeline (built once per dataset revision), as Parquet files; `scratch` is the grade's own folder. */
  referenceFiles(lab: LoadedLab, ex: LoadedExercise, dataset: Dataset, scratch: string): Promise<ModelOutput>;
  /** Puts this model's reference table into `reference`, and the reference pipeline's other tables upstream, into the session. */
  prepareReference(lab: LoadedLab, ex: LoadedExercise, dataset: Dataset, session: SqlSession, scratch: string): Promise<void>;
  /** Builds a model into `b.dir`; a failure the learner caused is a ModelBuildError. */
  build(b: ModelBuild): Promise<ModelOutput>;
  /** Loads a build's files into a table of the judge's session. */
  load(session: SqlSession, output: ModelOutput, table: string): Promise<void>;
  /** Why incremental runs cannot be graded on this engine, when they cannot (the check is then skipped). */
  readonly noIncrementalRuns?: string;
  /** Runs an incremental model for the next drop's day on a copy of its files. */
  incrementalRun?(b: ModelBuild & { output: ModelOutput; drop: NextDrop; reference: Model }): Promise<CheckOutcome>;
  /** `lab run`: the learner's pipeline (`day` set: an incremental run for that day). */
  pipeline(lab: LoadedLab, dataset: Dataset, opts: { day?: string }): Promise<ModelPipeline>;
}
